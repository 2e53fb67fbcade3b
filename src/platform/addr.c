/* pn_addr parsing and formatting, without the OS (inet_pton is not on every target). */
#include "peernet/platform.h"
#include "wire/pn_mem.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parse a dotted quad in [s, e) into out[4]. */
static int parse_v4(const char *s, const char *e, uint8_t *out)
{
    int part = 0;
    while (part < 4) {
        unsigned v = 0, digits = 0;
        while (s < e && *s >= '0' && *s <= '9') {
            if (digits > 0 && v == 0)
                return PN_ERR_PLATFORM_ADDR; /* no leading zeros (octal ambiguity) */
            v = v * 10 + (unsigned)(*s++ - '0');
            if (++digits > 3 || v > 255)
                return PN_ERR_PLATFORM_ADDR;
        }
        if (digits == 0)
            return PN_ERR_PLATFORM_ADDR;
        out[part++] = (uint8_t)v;
        if (part < 4) {
            if (s >= e || *s != '.')
                return PN_ERR_PLATFORM_ADDR;
            s++;
        }
    }
    return s == e ? PN_OK : PN_ERR_PLATFORM_ADDR;
}

/* Parse RFC 4291 text (with "::" and an optional trailing dotted quad) in [s, e). */
static int parse_v6(const char *s, const char *e, uint8_t *out)
{
    uint8_t words[16];
    int n = 0, gap = -1;
    if (e - s >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        s += 2;
    } else if (s < e && *s == ':') {
        return PN_ERR_PLATFORM_ADDR;
    }
    while (s < e) {
        const char *start = s;
        unsigned v = 0;
        int digits = 0;
        if (n >= 16)
            return PN_ERR_PLATFORM_ADDR;
        while (s < e && hexval(*s) >= 0) {
            v = (v << 4) | (unsigned)hexval(*s++);
            if (++digits > 4)
                return PN_ERR_PLATFORM_ADDR;
        }
        if (s < e && *s == '.') { /* embedded IPv4 in the last 32 bits */
            if (n > 12 || parse_v4(start, e, words + n) != PN_OK)
                return PN_ERR_PLATFORM_ADDR;
            n += 4;
            s = e;
            break;
        }
        if (digits == 0)
            return PN_ERR_PLATFORM_ADDR;
        words[n++] = (uint8_t)(v >> 8);
        words[n++] = (uint8_t)v;
        if (s == e)
            break;
        if (*s != ':')
            return PN_ERR_PLATFORM_ADDR;
        s++;
        if (s < e && *s == ':') {
            if (gap >= 0)
                return PN_ERR_PLATFORM_ADDR;
            gap = n;
            s++;
        } else if (s == e) {
            return PN_ERR_PLATFORM_ADDR; /* trailing single colon */
        }
    }
    if (gap < 0) {
        if (n != 16)
            return PN_ERR_PLATFORM_ADDR;
        memcpy(out, words, 16);
        return PN_OK;
    }
    if (n > 14)
        return PN_ERR_PLATFORM_ADDR; /* "::" must stand for at least one group */
    memset(out, 0, 16);
    memcpy(out, words, (size_t)gap);
    memcpy(out + 16 - (n - gap), words + gap, (size_t)(n - gap));
    return PN_OK;
}

static int parse_port(const char *s, uint16_t *port)
{
    unsigned long v = 0;
    if (*s == '\0')
        return PN_ERR_PLATFORM_ADDR;
    while (*s) {
        if (*s < '0' || *s > '9')
            return PN_ERR_PLATFORM_ADDR;
        v = v * 10 + (unsigned long)(*s++ - '0');
        if (v > 65535)
            return PN_ERR_PLATFORM_ADDR;
    }
    *port = (uint16_t)v;
    return PN_OK;
}

int pn_addr_parse(pn_addr *out, const char *text)
{
    pn_addr a;
    const char *end, *colon = NULL, *p;
    int colons = 0;
    if (out == NULL || text == NULL)
        return PN_ERR_ARG;
    memset(&a, 0, sizeof a);
    for (p = text; *p; p++) {
        if (*p == ':') {
            colons++;
            colon = p;
        }
    }
    end = p;
    if (text[0] == '[') {
        const char *close = text + 1;
        while (*close && *close != ']')
            close++;
        if (*close != ']')
            return PN_ERR_PLATFORM_ADDR;
        a.family = PN_AF_INET6;
        if (parse_v6(text + 1, close, a.ip) != PN_OK)
            return PN_ERR_PLATFORM_ADDR;
        if (close[1] == ':') {
            if (parse_port(close + 2, &a.port) != PN_OK)
                return PN_ERR_PLATFORM_ADDR;
        } else if (close[1] != '\0') {
            return PN_ERR_PLATFORM_ADDR;
        }
    } else if (colons == 0 || colons == 1) {
        const char *ip_end = colons == 1 ? colon : end;
        a.family = PN_AF_INET;
        if (parse_v4(text, ip_end, a.ip) != PN_OK)
            return PN_ERR_PLATFORM_ADDR;
        if (colons == 1 && parse_port(colon + 1, &a.port) != PN_OK)
            return PN_ERR_PLATFORM_ADDR;
    } else {
        a.family = PN_AF_INET6; /* bare IPv6, no port */
        if (parse_v6(text, end, a.ip) != PN_OK)
            return PN_ERR_PLATFORM_ADDR;
    }
    *out = a;
    return PN_OK;
}

/* Tiny bounded appender used by the formatter. */
typedef struct {
    char *out;
    size_t cap, len;
} sbuf;

static void put_c(sbuf *b, char c)
{
    if (b->len + 1 < b->cap)
        b->out[b->len] = c;
    b->len++;
}

static void put_dec(sbuf *b, unsigned v)
{
    char tmp[10];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        put_c(b, tmp[--n]);
}

static void put_hex16(sbuf *b, unsigned v)
{
    static const char digits[] = "0123456789abcdef";
    int shift, started = 0;
    for (shift = 12; shift >= 0; shift -= 4) {
        unsigned d = (v >> shift) & 0xF;
        if (d != 0 || started || shift == 0) {
            put_c(b, digits[d]);
            started = 1;
        }
    }
}

int pn_addr_format(const pn_addr *a, char *out, size_t cap)
{
    sbuf b;
    int i;
    if (a == NULL || out == NULL || cap == 0)
        return PN_ERR_ARG;
    b.out = out;
    b.cap = cap;
    b.len = 0;
    if (a->family == PN_AF_INET) {
        for (i = 0; i < 4; i++) {
            if (i > 0)
                put_c(&b, '.');
            put_dec(&b, a->ip[i]);
        }
    } else if (a->family == PN_AF_INET6) {
        /* RFC 5952: compress the longest run (>= 2) of zero groups, leftmost on a tie. */
        int best = -1, best_len = 0, run = -1, run_len = 0;
        for (i = 0; i < 8; i++) {
            if (a->ip[2 * i] == 0 && a->ip[2 * i + 1] == 0) {
                if (run < 0) {
                    run = i;
                    run_len = 0;
                }
                run_len++;
                if (run_len > best_len) {
                    best = run;
                    best_len = run_len;
                }
            } else {
                run = -1;
            }
        }
        if (best_len < 2)
            best = -1;
        put_c(&b, '[');
        for (i = 0; i < 8; i++) {
            if (i == best) {
                put_c(&b, ':');
                if (i == 0)
                    put_c(&b, ':');
                i += best_len - 1;
                continue;
            }
            put_hex16(&b, ((unsigned)a->ip[2 * i] << 8) | a->ip[2 * i + 1]);
            if (i < 7)
                put_c(&b, ':');
        }
        put_c(&b, ']');
    } else {
        return PN_ERR_PLATFORM_ADDR;
    }
    put_c(&b, ':');
    put_dec(&b, a->port);
    if (b.len >= cap) {
        out[cap - 1] = '\0';
        return PN_ERR_BUFSIZE;
    }
    out[b.len] = '\0';
    return (int)b.len;
}

int pn_addr_equal(const pn_addr *a, const pn_addr *b)
{
    size_t n;
    if (a->family != b->family || a->port != b->port)
        return 0;
    n = a->family == PN_AF_INET ? 4 : 16;
    if (memcmp(a->ip, b->ip, n) != 0)
        return 0;
    return a->family != PN_AF_INET6 || a->scope_id == b->scope_id;
}

int pn_storage_name_valid(const char *name)
{
    size_t n = 0;
    if (name == NULL)
        return 0;
    for (; name[n] != '\0'; n++) {
        char c = name[n];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        if (!ok || n >= 64)
            return 0;
    }
    /* "." and ".." would name directories on a file-backed store. */
    if (n == 0 || (n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.'))
        return 0;
    return 1;
}

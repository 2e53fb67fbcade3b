/* DER reader: flat cursor, strict X.690 distinguished encoding (see peernet/der.h). */
#include "peernet/der.h"
#include "wire/pn_mem.h"

void pn_der_init(pn_der *d, const uint8_t *buf, size_t len)
{
    /* NULL plus zero is undefined in C: an empty cursor keeps both ends at buf. */
    d->p = buf;
    d->end = buf != NULL ? buf + len : buf;
}

int pn_der_at_end(const pn_der *d)
{
    return d->p >= d->end;
}

size_t pn_der_left(const pn_der *d)
{
    return (size_t)(d->end - d->p);
}

int pn_der_finish(const pn_der *d)
{
    return d->p == d->end ? PN_OK : PN_ERR_CRYPTO_DER;
}

int pn_der_finish_top(const pn_der *d)
{
    return d->p == d->end ? PN_OK : PN_ERR_TRAILING;
}

/* The single place that decodes an identifier and a length (X.690 8.1.2, 8.1.3, 10.1).
 * It checks that the value fits in [p, end) before anyone looks at it. */
static int parse_tlv(const uint8_t *p, const uint8_t *end, pn_der_tlv *t)
{
    size_t avail = (size_t)(end - p), len, hl, n, i;
    uint8_t b;
    if (avail < 2)
        return PN_ERR_TRUNCATED;
    /* High-tag-number form: no structure peernet reads uses tag numbers above 30. */
    if ((p[0] & 0x1Fu) == 0x1Fu)
        return PN_ERR_CRYPTO_DER;
    b = p[1];
    if (b < 0x80u) {
        len = b;
        hl = 2;
    } else {
        /* 0x80 is the indefinite form (forbidden in DER, X.690 10.1); 0xFF is reserved. */
        n = b & 0x7Fu;
        if (n == 0 || n == 0x7Fu)
            return PN_ERR_CRYPTO_DER;
        if (n > 4 || n > sizeof(size_t))
            return PN_ERR_CRYPTO_DER; /* > 4 GiB: never real, and would not fit */
        if (avail - 2 < n)
            return PN_ERR_TRUNCATED;
        if (p[2] == 0)
            return PN_ERR_CRYPTO_DER; /* leading zero octet: not the minimal length */
        len = 0;
        for (i = 0; i < n; i++)
            len = (len << 8) | p[2 + i];
        if (len < 0x80u)
            return PN_ERR_CRYPTO_DER; /* long form used for a short-form length */
        hl = 2 + n;
    }
    if (len > avail - hl)
        return PN_ERR_TRUNCATED;
    t->tag = p[0];
    t->tlv = p;
    t->tlv_len = hl + len;
    t->val = p + hl;
    t->len = len;
    return PN_OK;
}

int pn_der_peek(const pn_der *d)
{
    if (d->p >= d->end)
        return PN_ERR_TRUNCATED;
    if ((d->p[0] & 0x1Fu) == 0x1Fu)
        return PN_ERR_CRYPTO_DER;
    return d->p[0];
}

int pn_der_next(pn_der *d, pn_der_tlv *t)
{
    int rc = parse_tlv(d->p, d->end, t);
    if (rc == PN_OK)
        d->p = t->val + t->len;
    return rc;
}

int pn_der_expect(pn_der *d, uint8_t tag, pn_der_tlv *t)
{
    pn_der_tlv tmp;
    int rc = parse_tlv(d->p, d->end, &tmp);
    if (rc != PN_OK)
        return rc;
    if (tmp.tag != tag)
        return PN_ERR_CRYPTO_DER;
    *t = tmp;
    d->p = tmp.val + tmp.len;
    return PN_OK;
}

int pn_der_enter(pn_der *d, uint8_t tag, pn_der *inner)
{
    pn_der_tlv t;
    int rc = pn_der_expect(d, tag, &t);
    if (rc != PN_OK)
        return rc;
    inner->p = t.val;
    inner->end = t.val + t.len;
    return PN_OK;
}

int pn_der_optional(pn_der *d, uint8_t tag, pn_der_tlv *t)
{
    int rc;
    if (d->p >= d->end || d->p[0] != tag)
        return 0;
    rc = pn_der_expect(d, tag, t);
    return rc == PN_OK ? 1 : rc;
}

/* ---- primitives -------------------------------------------------------------------- */

int pn_der_read_integer(pn_der *d, const uint8_t **val, size_t *len)
{
    pn_der_tlv t;
    pn_der save = *d;
    int rc = pn_der_expect(d, PN_DER_INTEGER, &t);
    if (rc != PN_OK)
        return rc;
    /* X.690 8.3.2: the first nine bits are never all zero or all one. */
    if (t.len == 0 || (t.len > 1 && ((t.val[0] == 0x00u && (t.val[1] & 0x80u) == 0) ||
                                     (t.val[0] == 0xFFu && (t.val[1] & 0x80u) != 0)))) {
        *d = save;
        return PN_ERR_CRYPTO_DER;
    }
    *val = t.val;
    *len = t.len;
    return PN_OK;
}

int pn_der_read_uint(pn_der *d, const uint8_t **mag, size_t *len)
{
    const uint8_t *v;
    size_t n;
    pn_der save = *d;
    int rc = pn_der_read_integer(d, &v, &n);
    if (rc != PN_OK)
        return rc;
    if (v[0] & 0x80u) {
        *d = save;
        return PN_ERR_CRYPTO_DER;
    }
    if (n > 1 && v[0] == 0) {
        v++;
        n--;
    }
    *mag = v;
    *len = n;
    return PN_OK;
}

int pn_der_read_u32(pn_der *d, uint32_t *out)
{
    const uint8_t *v;
    size_t n, i;
    uint32_t x = 0;
    pn_der save = *d;
    int rc = pn_der_read_uint(d, &v, &n);
    if (rc != PN_OK)
        return rc;
    if (n > 4) {
        *d = save;
        return PN_ERR_RANGE;
    }
    for (i = 0; i < n; i++)
        x = (x << 8) | v[i];
    *out = x;
    return PN_OK;
}

int pn_der_read_i64(pn_der *d, int64_t *out)
{
    const uint8_t *v;
    size_t n, i;
    uint64_t x;
    pn_der save = *d;
    int rc = pn_der_read_integer(d, &v, &n);
    if (rc != PN_OK)
        return rc;
    if (n > 8) {
        *d = save;
        return PN_ERR_RANGE;
    }
    x = (v[0] & 0x80u) ? UINT64_MAX : 0; /* sign extension */
    for (i = 0; i < n; i++)
        x = (x << 8) | v[i];
    /* Two's complement back to signed without relying on implementation-defined casts. */
    if (x & 0x8000000000000000ull)
        *out = -(int64_t)(~x) - 1;
    else
        *out = (int64_t)x;
    return PN_OK;
}

int pn_der_read_bool(pn_der *d, int *out)
{
    pn_der_tlv t;
    pn_der save = *d;
    int rc = pn_der_expect(d, PN_DER_BOOLEAN, &t);
    if (rc != PN_OK)
        return rc;
    /* X.690 11.1: TRUE is encoded 0xFF in DER; any other non-zero octet is BER only. */
    if (t.len != 1 || (t.val[0] != 0x00u && t.val[0] != 0xFFu)) {
        *d = save;
        return PN_ERR_CRYPTO_DER;
    }
    *out = t.val[0] != 0;
    return PN_OK;
}

int pn_der_read_null(pn_der *d)
{
    pn_der_tlv t;
    pn_der save = *d;
    int rc = pn_der_expect(d, PN_DER_NULL, &t);
    if (rc != PN_OK)
        return rc;
    if (t.len != 0) {
        *d = save;
        return PN_ERR_CRYPTO_DER;
    }
    return PN_OK;
}

int pn_der_read_bits(pn_der *d, const uint8_t **bits, size_t *len, unsigned *unused)
{
    pn_der_tlv t;
    pn_der save = *d;
    unsigned u;
    int rc = pn_der_expect(d, PN_DER_BIT_STRING, &t);
    if (rc != PN_OK)
        return rc;
    /* X.690 8.6.2 and 11.2.1: unused-bit count 0..7, zero for an empty string, and the
     * unused bits themselves are zero. */
    if (t.len == 0)
        goto bad;
    u = t.val[0];
    if (u > 7 || (t.len == 1 && u != 0))
        goto bad;
    if (u != 0 && (t.val[t.len - 1] & ((1u << u) - 1u)) != 0)
        goto bad;
    *bits = t.val + 1;
    *len = t.len - 1;
    if (unused)
        *unused = u;
    return PN_OK;
bad:
    *d = save;
    return PN_ERR_CRYPTO_DER;
}

int pn_der_read_octets(pn_der *d, const uint8_t **val, size_t *len)
{
    pn_der_tlv t;
    int rc = pn_der_expect(d, PN_DER_OCTET_STRING, &t);
    if (rc != PN_OK)
        return rc;
    *val = t.val;
    *len = t.len;
    return PN_OK;
}

int pn_der_oid_check(const uint8_t *oid, size_t len)
{
    size_t i;
    int start = 1;
    if (len == 0)
        return PN_ERR_CRYPTO_DER;
    /* X.690 8.19.2: each subidentifier in as few octets as possible (no leading 0x80),
     * and the last octet ends a subidentifier. */
    for (i = 0; i < len; i++) {
        if (start && oid[i] == 0x80u)
            return PN_ERR_CRYPTO_DER;
        start = (oid[i] & 0x80u) == 0;
    }
    return start ? PN_OK : PN_ERR_CRYPTO_DER;
}

int pn_der_read_oid(pn_der *d, const uint8_t **val, size_t *len)
{
    pn_der_tlv t;
    pn_der save = *d;
    int rc = pn_der_expect(d, PN_DER_OID, &t);
    if (rc != PN_OK)
        return rc;
    rc = pn_der_oid_check(t.val, t.len);
    if (rc != PN_OK) {
        *d = save;
        return rc;
    }
    *val = t.val;
    *len = t.len;
    return PN_OK;
}

int pn_der_oid_eq(const uint8_t *oid, size_t len, const uint8_t *enc, size_t enc_len)
{
    return len == enc_len && memcmp(oid, enc, len) == 0;
}

static int put_dec(char *out, size_t cap, size_t *pos, uint32_t v)
{
    char tmp[10];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    if (cap - *pos <= (size_t)n)
        return PN_ERR_BUFSIZE; /* keep room for the NUL */
    while (n > 0)
        out[(*pos)++] = tmp[--n];
    return PN_OK;
}

int pn_der_oid_text(const uint8_t *oid, size_t len, char *out, size_t cap)
{
    size_t i = 0, pos = 0;
    int first = 1, rc;
    if (out == NULL || cap == 0)
        return PN_ERR_BUFSIZE;
    rc = pn_der_oid_check(oid, len);
    if (rc != PN_OK)
        return rc;
    while (i < len) {
        uint32_t v = 0;
        do {
            if (v > (UINT32_MAX >> 7))
                return PN_ERR_UNSUPPORTED;
            v = (v << 7) | (oid[i] & 0x7Fu);
        } while (oid[i++] & 0x80u);
        if (first) {
            /* X.690 8.19.4: the first subidentifier packs the first two arcs. */
            uint32_t a = v < 40u ? 0u : (v < 80u ? 1u : 2u);
            if ((rc = put_dec(out, cap, &pos, a)) != PN_OK)
                return rc;
            v -= a * 40u;
            first = 0;
        }
        if (cap - pos <= 1)
            return PN_ERR_BUFSIZE;
        out[pos++] = '.';
        if ((rc = put_dec(out, cap, &pos, v)) != PN_OK)
            return rc;
    }
    out[pos] = '\0';
    return (int)pos;
}

static int put_subid(uint8_t *out, size_t cap, size_t *pos, uint32_t v)
{
    uint8_t tmp[5];
    int n = 0;
    do {
        tmp[n++] = (uint8_t)(v & 0x7Fu);
        v >>= 7;
    } while (v != 0);
    if (cap - *pos < (size_t)n)
        return PN_ERR_BUFSIZE;
    while (n > 0) {
        n--;
        out[(*pos)++] = (uint8_t)(tmp[n] | (n > 0 ? 0x80u : 0));
    }
    return PN_OK;
}

int pn_der_oid_from_text(const char *text, uint8_t *out, size_t cap)
{
    uint32_t arcs[2] = {0, 0};
    size_t pos = 0;
    int narc = 0, rc;
    const char *s = text;
    for (;;) {
        uint32_t v = 0;
        int digits = 0;
        while (*s >= '0' && *s <= '9') {
            uint32_t dgt = (uint32_t)(*s - '0');
            if (digits > 0 && v == 0)
                return PN_ERR_ARG; /* leading zero */
            if (v > (UINT32_MAX - dgt) / 10u)
                return PN_ERR_UNSUPPORTED;
            v = v * 10u + dgt;
            digits++;
            s++;
        }
        if (digits == 0)
            return PN_ERR_ARG;
        if (narc < 2) {
            arcs[narc] = v;
        }
        if (narc == 1) {
            if (arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39) ||
                arcs[1] > UINT32_MAX - arcs[0] * 40u)
                return PN_ERR_ARG;
            if ((rc = put_subid(out, cap, &pos, arcs[0] * 40u + arcs[1])) != PN_OK)
                return rc;
        } else if (narc > 1) {
            if ((rc = put_subid(out, cap, &pos, v)) != PN_OK)
                return rc;
        }
        narc++;
        if (*s == '\0')
            break;
        if (*s != '.')
            return PN_ERR_ARG;
        s++;
    }
    if (narc < 2)
        return PN_ERR_ARG;
    return (int)pos;
}

/* ---- time -------------------------------------------------------------------------- */

/* Days from 1970-01-01 to a civil date.  The year is shifted by 400 so every quantity
 * stays non-negative for years 0..9999 and all divisions are by small constants on
 * 32-bit values. */
static int32_t days_from_civil(int32_t y, int32_t m, int32_t d)
{
    int32_t era, yoe, doy, doe;
    y += 400 - (m <= 2);
    era = y / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 - 146097;
}

static int days_in_month(int y, int m)
{
    static const uint8_t dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return 29;
    return dm[m - 1];
}

int64_t pn_der_time_from_civil(int year, int month, int day, int hour, int min, int sec)
{
    return (int64_t)days_from_civil(year, month, day) * 86400 + (int64_t)hour * 3600 +
           (int64_t)min * 60 + sec;
}

#define PN_DER_SECS_YEAR0   (-62167219200ll) /* 0000-01-01T00:00:00Z */
#define PN_DER_SECS_YEAR10K (253402300800ll) /* 10000-01-01T00:00:00Z */

int pn_der_time_to_civil(int64_t secs, int *year, int *month, int *day, int *hour, int *min,
                         int *sec)
{
    uint64_t s;
    uint32_t days0, rem, doe, yoe, doy, mp, era;
    int32_t y, m;
    if (secs < PN_DER_SECS_YEAR0 || secs >= PN_DER_SECS_YEAR10K)
        return PN_ERR_RANGE;
    /* 86400 = 128 * 675: a shift then a 32-bit division replaces a 64-bit division. */
    s = (uint64_t)(secs - PN_DER_SECS_YEAR0);
    days0 = (uint32_t)(s >> 7) / 675u;
    rem = (uint32_t)(s - (uint64_t)days0 * 86400u);
    /* days0 counts from 0000-01-01; the civil algorithm counts from 0000-03-01. */
    doe = days0 + 146097u - 60u; /* one extra era keeps it non-negative */
    era = doe / 146097u;
    doe -= era * 146097u;
    yoe = (doe - doe / 1460u + doe / 36524u - doe / 146096u) / 365u;
    doy = doe - (365u * yoe + yoe / 4u - yoe / 100u);
    mp = (5u * doy + 2u) / 153u;
    *day = (int)(doy - (153u * mp + 2u) / 5u + 1u);
    m = mp < 10u ? (int32_t)mp + 3 : (int32_t)mp - 9;
    y = (int32_t)yoe + (int32_t)era * 400 - 400 + (m <= 2);
    *month = m;
    *year = y;
    *hour = (int)(rem / 3600u);
    *min = (int)(rem / 60u % 60u);
    *sec = (int)(rem % 60u);
    return PN_OK;
}

static int digits2(const uint8_t *p, int *out)
{
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
        return PN_ERR_CRYPTO_DER;
    *out = (p[0] - '0') * 10 + (p[1] - '0');
    return PN_OK;
}

int pn_der_time_parse(uint8_t tag, const uint8_t *val, size_t len, int64_t *secs)
{
    int f[7], i, year;
    const uint8_t *p = val;
    /* RFC 5280 4.1.2.5.1/4.1.2.5.2: YYMMDDHHMMSSZ and YYYYMMDDHHMMSSZ exactly. */
    if (tag == PN_DER_UTC_TIME) {
        if (len != 13)
            return PN_ERR_CRYPTO_DER;
        if (digits2(p, &f[0]) != PN_OK)
            return PN_ERR_CRYPTO_DER;
        year = f[0] < 50 ? 2000 + f[0] : 1900 + f[0];
        p += 2;
    } else if (tag == PN_DER_GENERALIZED_TIME) {
        if (len != 15)
            return PN_ERR_CRYPTO_DER;
        if (digits2(p, &f[0]) != PN_OK || digits2(p + 2, &f[1]) != PN_OK)
            return PN_ERR_CRYPTO_DER;
        year = f[0] * 100 + f[1];
        p += 4;
    } else {
        return PN_ERR_CRYPTO_DER;
    }
    for (i = 1; i < 6; i++, p += 2)
        if (digits2(p, &f[i]) != PN_OK)
            return PN_ERR_CRYPTO_DER;
    if (*p != 'Z')
        return PN_ERR_CRYPTO_DER;
    if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > days_in_month(year, f[1]) || f[3] > 23 ||
        f[4] > 59 || f[5] > 59)
        return PN_ERR_CRYPTO_DER;
    *secs = pn_der_time_from_civil(year, f[1], f[2], f[3], f[4], f[5]);
    return PN_OK;
}

int pn_der_read_time(pn_der *d, int64_t *secs)
{
    pn_der_tlv t;
    pn_der save = *d;
    int rc = pn_der_next(d, &t);
    if (rc != PN_OK)
        return rc;
    rc = pn_der_time_parse(t.tag, t.val, t.len, secs);
    if (rc != PN_OK)
        *d = save;
    return rc;
}

/* ---- strings ----------------------------------------------------------------------- */

static int printable_char(uint8_t c)
{
    /* X.680 41.4 Table 10: letters, digits, space and ' ( ) + , - . / : = ? */
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return 1;
    switch (c) {
    case ' ':
    case '\'':
    case '(':
    case ')':
    case '+':
    case ',':
    case '-':
    case '.':
    case '/':
    case ':':
    case '=':
    case '?':
        return 1;
    default:
        return 0;
    }
}

/* Next code point of a BMPString (UTF-16BE, surrogate pairs accepted because Windows
 * writes UTF-16 there) or UniversalString (UCS-4 BE).  Returns the units consumed in
 * bytes, or 0 when invalid. */
static size_t next_wide(uint8_t tag, const uint8_t *v, size_t left, uint32_t *cp)
{
    if (tag == PN_DER_UNIVERSAL_STRING) {
        uint32_t c;
        if (left < 4)
            return 0;
        c = pn_get_u32be(v);
        if (c > 0x10FFFFu || (c >= 0xD800u && c <= 0xDFFFu))
            return 0;
        *cp = c;
        return 4;
    } else {
        uint32_t hi, lo;
        if (left < 2)
            return 0;
        hi = pn_get_u16be(v);
        if (hi >= 0xDC00u && hi <= 0xDFFFu)
            return 0;
        if (hi < 0xD800u || hi > 0xDBFFu) {
            *cp = hi;
            return 2;
        }
        if (left < 4)
            return 0;
        lo = pn_get_u16be(v + 2);
        if (lo < 0xDC00u || lo > 0xDFFFu)
            return 0;
        *cp = 0x10000u + ((hi - 0xD800u) << 10) + (lo - 0xDC00u);
        return 4;
    }
}

int pn_der_string_check(uint8_t tag, const uint8_t *val, size_t len)
{
    size_t i, n;
    uint32_t cp;
    switch (tag) {
    case PN_DER_UTF8_STRING:
        if (pn_utf8_valid(val, len) != PN_OK)
            return PN_ERR_CRYPTO_DER;
        for (i = 0; i < len; i++)
            if (val[i] == 0)
                return PN_ERR_CRYPTO_DER; /* an embedded NUL would cut the text short */
        return PN_OK;
    case PN_DER_PRINTABLE_STRING:
        for (i = 0; i < len; i++)
            if (!printable_char(val[i]))
                return PN_ERR_CRYPTO_DER;
        return PN_OK;
    case PN_DER_IA5_STRING:
        for (i = 0; i < len; i++)
            if (val[i] == 0 || val[i] >= 0x80u)
                return PN_ERR_CRYPTO_DER;
        return PN_OK;
    case PN_DER_T61_STRING:
        for (i = 0; i < len; i++)
            if (val[i] == 0)
                return PN_ERR_CRYPTO_DER;
        return PN_OK;
    case PN_DER_BMP_STRING:
    case PN_DER_UNIVERSAL_STRING:
        for (i = 0; i < len; i += n) {
            n = next_wide(tag, val + i, len - i, &cp);
            if (n == 0)
                return PN_ERR_CRYPTO_DER;
            /* MS-PNRP 2.2.3.5 calls names "NUL-terminated Unicode strings": a single NUL
             * as the very last character is tolerated and dropped on conversion. */
            if (cp == 0 && i + n != len)
                return PN_ERR_CRYPTO_DER;
        }
        return PN_OK;
    default:
        return PN_ERR_CRYPTO_DER;
    }
}

int pn_der_read_string(pn_der *d, pn_der_tlv *t)
{
    pn_der save = *d;
    int rc = pn_der_next(d, t);
    if (rc != PN_OK)
        return rc;
    rc = pn_der_string_check(t->tag, t->val, t->len);
    if (rc != PN_OK)
        *d = save;
    return rc;
}

static int put_utf8(char *out, size_t cap, size_t *pos, uint32_t cp)
{
    uint8_t b[4];
    size_t n, i;
    if (cp < 0x80u) {
        b[0] = (uint8_t)cp;
        n = 1;
    } else if (cp < 0x800u) {
        b[0] = (uint8_t)(0xC0u | (cp >> 6));
        b[1] = (uint8_t)(0x80u | (cp & 0x3Fu));
        n = 2;
    } else if (cp < 0x10000u) {
        b[0] = (uint8_t)(0xE0u | (cp >> 12));
        b[1] = (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu));
        b[2] = (uint8_t)(0x80u | (cp & 0x3Fu));
        n = 3;
    } else {
        b[0] = (uint8_t)(0xF0u | (cp >> 18));
        b[1] = (uint8_t)(0x80u | ((cp >> 12) & 0x3Fu));
        b[2] = (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu));
        b[3] = (uint8_t)(0x80u | (cp & 0x3Fu));
        n = 4;
    }
    if (cap - *pos <= n)
        return PN_ERR_BUFSIZE;
    for (i = 0; i < n; i++)
        out[(*pos)++] = (char)b[i];
    return PN_OK;
}

int pn_der_string_to_utf8(uint8_t tag, const uint8_t *val, size_t len, char *out, size_t cap)
{
    size_t i, n, pos = 0;
    uint32_t cp;
    int rc = pn_der_string_check(tag, val, len);
    if (rc != PN_OK)
        return rc;
    if (out == NULL || cap == 0)
        return PN_ERR_BUFSIZE;
    if (len > (size_t)INT32_MAX)
        return PN_ERR_RANGE;
    for (i = 0; i < len; i += n) {
        if (tag == PN_DER_BMP_STRING || tag == PN_DER_UNIVERSAL_STRING) {
            n = next_wide(tag, val + i, len - i, &cp);
            if (cp == 0)
                break; /* the tolerated terminating NUL */
        } else {
            n = 1;
            cp = val[i];
            if (tag == PN_DER_UTF8_STRING && cp >= 0x80u) {
                /* Already validated UTF-8: copy the byte as is. */
                if (cap - pos <= 1)
                    return PN_ERR_BUFSIZE;
                out[pos++] = (char)val[i];
                continue;
            }
        }
        if ((rc = put_utf8(out, cap, &pos, cp)) != PN_OK)
            return rc;
    }
    out[pos] = '\0';
    return (int)pos;
}

/* ---- generic walk ------------------------------------------------------------------ */

int pn_der_validate(const uint8_t *buf, size_t len, unsigned max_depth)
{
    const uint8_t *ends[PN_DER_MAX_DEPTH + 1];
    const uint8_t *p = buf;
    unsigned depth = 0;
    int count = 0, rc;
    pn_der_tlv t;
    if (max_depth > PN_DER_MAX_DEPTH)
        max_depth = PN_DER_MAX_DEPTH;
    if (len == 0)
        return PN_ERR_TRUNCATED;
    ends[0] = buf + len;
    for (;;) {
        while (depth > 0 && p == ends[depth])
            depth--;
        if (depth == 0 && p == ends[0])
            break;
        rc = parse_tlv(p, ends[depth], &t);
        if (rc != PN_OK)
            return rc;
        if (count == INT32_MAX)
            return PN_ERR_RANGE;
        count++;
        if (t.tag & PN_DER_CONSTRUCTED) {
            if (depth >= max_depth)
                return PN_ERR_CRYPTO_DER_DEPTH;
            ends[++depth] = t.val + t.len;
            p = t.val;
        } else {
            p = t.val + t.len;
        }
    }
    return count;
}

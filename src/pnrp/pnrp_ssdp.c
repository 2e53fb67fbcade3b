/* SSDP discovery for PNRP clouds (MS-PNRP 1.3.3.1, 3.1.4.2.2, 3.1.5.1, 3.2.4.1, 3.2.4.2;
 * UPnP Device Architecture 1.0 section 1), sans-I/O. */
#include "peernet/platform.h"
#include "peernet/pnrp_ssdp.h"
#include "wire/pn_mem.h"

const uint8_t pn_pnrp_ssdp_group_link[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0,
                                             0,    0,    0, 0, 0, 0, 0, 0x0c};
const uint8_t pn_pnrp_ssdp_group_site[16] = {0xff, 0x05, 0, 0, 0, 0, 0, 0,
                                             0,    0,    0, 0, 0, 0, 0, 0x0c};

/* 3.1.4.2.2: the search target, spaces exactly as the specification writes them. */
static const char urn_prefix[] = "urn:Microsoft Windows Peer Name Resolution Protocol: V4:IPV6:";
static const char *const scope_names[4] = {"", "Global", "SiteLocal", "LinkLocal"};

static size_t slen(const char *s)
{
    size_t n = 0;
    while (s[n] != 0)
        n++;
    return n;
}

/* ---- writing ------------------------------------------------------------------------- */
typedef struct tw {
    uint8_t *p;
    size_t cap, len;
} tw;

static void put(tw *w, const char *s, size_t n)
{
    if (w->len + n <= w->cap)
        memcpy(w->p + w->len, s, n);
    w->len += n;
}

static void puts_(tw *w, const char *s)
{
    put(w, s, slen(s));
}

static void put_uuid(tw *w, const uint8_t id[16])
{
    static const char hex[] = "0123456789abcdef";
    char t[36];
    size_t i, k = 0;
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            t[k++] = '-';
        t[k++] = hex[id[i] >> 4];
        t[k++] = hex[id[i] & 15];
    }
    put(w, t, k);
}

static void put_urn(tw *w, uint8_t scope)
{
    puts_(w, urn_prefix);
    puts_(w, scope_names[scope]);
}

static void put_usn(tw *w, const pn_pnrp_ssdp_msg *m)
{
    puts_(w, "USN: uuid:");
    put_uuid(w, m->usn_id);
    puts_(w, "::");
    put_urn(w, m->scope);
    puts_(w, "\r\n");
}

static int put_al(tw *w, const pn_pnrp_endpoint *ep)
{
    pn_addr a;
    char t[PN_ADDR_STRLEN];
    int n;
    memset(&a, 0, sizeof a);
    a.family = PN_AF_INET6;
    memcpy(a.ip, ep->addr, 16);
    a.port = ep->port;
    n = pn_addr_format(&a, t, sizeof t);
    if (n < 0)
        return n;
    puts_(w, "AL: ");
    put(w, t, (size_t)n);
    puts_(w, "\r\n");
    return PN_OK;
}

int pn_pnrp_ssdp_encode(const pn_pnrp_ssdp_msg *m, uint8_t *buf, size_t cap)
{
    tw w;
    if (m == NULL || buf == NULL || m->scope < PN_PNRP_SCOPE_GLOBAL ||
        m->scope > PN_PNRP_SCOPE_LINK)
        return PN_ERR_ARG;
    w.p = buf;
    w.cap = cap;
    w.len = 0;
    switch (m->type) {
    case PN_PNRP_SSDP_MSEARCH: /* UPnP 1.2.2 */
        puts_(&w, "M-SEARCH * HTTP/1.1\r\nHOST: ");
        puts_(&w, m->scope == PN_PNRP_SCOPE_SITE ? "[FF05::C]:1900" : "[FF02::C]:1900");
        puts_(&w, "\r\nMAN: \"ssdp:discover\"\r\nMX: 3\r\nST: ");
        put_urn(&w, m->scope);
        puts_(&w, "\r\n\r\n");
        break;
    case PN_PNRP_SSDP_RESPONSE: /* UPnP 1.2.3, with the AL of 3.1.5.1 */
        puts_(&w, "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nST: ");
        put_urn(&w, m->scope);
        puts_(&w, "\r\n");
        put_usn(&w, m);
        if (put_al(&w, &m->al) != PN_OK)
            return PN_ERR_ARG;
        puts_(&w, "\r\n");
        break;
    case PN_PNRP_SSDP_ALIVE:
    case PN_PNRP_SSDP_BYEBYE: /* UPnP 1.1.2, 1.1.3 */
        puts_(&w, "NOTIFY * HTTP/1.1\r\nHOST: ");
        puts_(&w, m->scope == PN_PNRP_SCOPE_SITE ? "[FF05::C]:1900" : "[FF02::C]:1900");
        puts_(&w, "\r\nNT: ");
        put_urn(&w, m->scope);
        puts_(&w, m->type == PN_PNRP_SSDP_ALIVE
                      ? "\r\nNTS: ssdp:alive\r\nCACHE-CONTROL: max-age=1800\r\n"
                      : "\r\nNTS: ssdp:byebye\r\n");
        put_usn(&w, m);
        if (m->type == PN_PNRP_SSDP_ALIVE && put_al(&w, &m->al) != PN_OK)
            return PN_ERR_ARG;
        puts_(&w, "\r\n");
        break;
    default:
        return PN_ERR_ARG;
    }
    if (w.len > cap)
        return PN_ERR_BUFSIZE;
    return (int)w.len;
}

/* ---- reading ------------------------------------------------------------------------- */
static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int eq_ci(const uint8_t *a, size_t n, const char *b)
{
    size_t i;
    if (slen(b) != n)
        return 0;
    for (i = 0; i < n; i++)
        if (lower(a[i]) != lower((unsigned char)b[i]))
            return 0;
    return 1;
}

static int eq(const uint8_t *a, size_t n, const char *b)
{
    return slen(b) == n && memcmp(a, b, n) == 0;
}

/* The scope of a PNRP URN, 0 for anything else. */
static int urn_scope(const uint8_t *v, size_t n)
{
    size_t p = sizeof urn_prefix - 1;
    int s;
    if (n <= p || memcmp(v, urn_prefix, p) != 0)
        return 0;
    for (s = PN_PNRP_SCOPE_GLOBAL; s <= PN_PNRP_SCOPE_LINK; s++)
        if (eq(v + p, n - p, scope_names[s]))
            return s;
    return 0;
}

/* RFC 2732 host and port: "[IPv6]:port" only, the port above 1024 (3.1.5.1, 3.1.5.2). */
static int parse_al(const uint8_t *v, size_t n, pn_pnrp_endpoint *ep)
{
    char t[PN_ADDR_STRLEN];
    pn_addr a;
    size_t i;
    if (n < 5 || n >= sizeof t || v[0] != '[')
        return 0;
    for (i = 0; i < n; i++)
        if (v[i] == 0)
            return 0;
    memcpy(t, v, n);
    t[n] = 0;
    if (pn_addr_parse(&a, t) != PN_OK || a.family != PN_AF_INET6 || a.port <= 1024)
        return 0;
    memcpy(ep->addr, a.ip, 16);
    ep->port = a.port;
    return 1;
}

static int hexval(int c)
{
    c = lower(c);
    return (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* "uuid:8-4-4-4-12::..." into id; other forms leave it zero. */
static void parse_usn(const uint8_t *v, size_t n, uint8_t id[16])
{
    size_t i = 5, k = 0;
    if (n < 41 || !eq_ci(v, 5, "uuid:"))
        return;
    while (k < 16 && i + 1 < n) {
        int hi, lo;
        if (v[i] == '-') {
            i++;
            continue;
        }
        hi = hexval(v[i]);
        lo = hexval(v[i + 1]);
        if (hi < 0 || lo < 0) {
            memset(id, 0, 16);
            return;
        }
        id[k++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    if (k != 16)
        memset(id, 0, 16);
}

int pn_pnrp_ssdp_decode(const uint8_t *buf, size_t len, pn_pnrp_ssdp_msg *m)
{
    const uint8_t *p = buf, *end = buf + len;
    int first = 1, kind = 0, ended = 0;
    int st = 0, nt = 0, man = 0, nts = 0, have_al = 0;
    if (buf == NULL || m == NULL)
        return PN_ERR_ARG;
    memset(m, 0, sizeof *m);
    if (len > PN_PNRP_SSDP_MAX)
        return PN_ERR_PNRP_FIELD;
    while (p < end) {
        const uint8_t *eol = p, *colon, *v, *ve;
        while (eol + 1 < end && !(eol[0] == '\r' && eol[1] == '\n'))
            eol++;
        if (eol + 1 >= end)
            return PN_ERR_PNRP_FIELD; /* every line ends in CRLF */
        if (first) {
            if (eq(p, (size_t)(eol - p), "M-SEARCH * HTTP/1.1"))
                kind = PN_PNRP_SSDP_MSEARCH;
            else if (eq(p, (size_t)(eol - p), "HTTP/1.1 200 OK"))
                kind = PN_PNRP_SSDP_RESPONSE;
            else if (eq(p, (size_t)(eol - p), "NOTIFY * HTTP/1.1"))
                kind = PN_PNRP_SSDP_ALIVE;
            else
                return PN_ERR_PNRP_FIELD;
            first = 0;
            p = eol + 2;
            continue;
        }
        if (eol == p) { /* the empty line ends the headers; nothing may follow */
            ended = 1;
            p = eol + 2;
            break;
        }
        for (colon = p; colon < eol && *colon != ':'; colon++)
            ;
        if (colon == eol || colon == p)
            return PN_ERR_PNRP_FIELD;
        for (v = colon + 1; v < eol && (*v == ' ' || *v == '\t'); v++)
            ;
        for (ve = eol; ve > v && (ve[-1] == ' ' || ve[-1] == '\t'); ve--)
            ;
        if (eq_ci(p, (size_t)(colon - p), "ST")) {
            if (st || (st = urn_scope(v, (size_t)(ve - v))) == 0)
                return PN_ERR_PNRP_FIELD;
        } else if (eq_ci(p, (size_t)(colon - p), "NT")) {
            if (nt || (nt = urn_scope(v, (size_t)(ve - v))) == 0)
                return PN_ERR_PNRP_FIELD;
        } else if (eq_ci(p, (size_t)(colon - p), "MAN")) {
            man = eq(v, (size_t)(ve - v), "\"ssdp:discover\"");
        } else if (eq_ci(p, (size_t)(colon - p), "NTS")) {
            nts = eq(v, (size_t)(ve - v), "ssdp:alive")    ? PN_PNRP_SSDP_ALIVE
                  : eq(v, (size_t)(ve - v), "ssdp:byebye") ? PN_PNRP_SSDP_BYEBYE
                                                           : -1;
        } else if (eq_ci(p, (size_t)(colon - p), "AL")) {
            if (have_al || !parse_al(v, (size_t)(ve - v), &m->al))
                return PN_ERR_PNRP_FIELD; /* 3.1.5.1: a malformed AL is discarded */
            have_al = 1;
        } else if (eq_ci(p, (size_t)(colon - p), "USN")) {
            parse_usn(v, (size_t)(ve - v), m->usn_id);
        }
        p = eol + 2;
    }
    if (!ended || p != end)
        return PN_ERR_PNRP_FIELD;
    switch (kind) {
    case PN_PNRP_SSDP_MSEARCH:
        if (!st || !man || nt)
            return PN_ERR_PNRP_FIELD;
        m->scope = (uint8_t)st;
        break;
    case PN_PNRP_SSDP_RESPONSE:
        if (!st || !have_al || nt)
            return PN_ERR_PNRP_FIELD;
        m->scope = (uint8_t)st;
        break;
    default: /* NOTIFY */
        if (!nt || st || nts <= 0 || (nts == PN_PNRP_SSDP_ALIVE && !have_al))
            return PN_ERR_PNRP_FIELD;
        kind = nts;
        m->scope = (uint8_t)nt;
        break;
    }
    m->type = kind;
    return PN_OK;
}

/* ---- discovery state machine ------------------------------------------------------- */
int pn_pnrp_ssdp_init(pn_pnrp_ssdp *s, pn_pnrp_node *node, const uint8_t usn_id[16])
{
    if (s == NULL || node == NULL || usn_id == NULL ||
        (node->cfg.scope != PN_PNRP_SCOPE_LINK && node->cfg.scope != PN_PNRP_SCOPE_SITE))
        return PN_ERR_ARG;
    memset(s, 0, sizeof *s);
    s->node = node;
    s->scope = node->cfg.scope;
    memcpy(s->usn_id, usn_id, 16);
    return PN_OK;
}

static void group_of(const pn_pnrp_ssdp *s, pn_pnrp_endpoint *to)
{
    memcpy(to->addr,
           s->scope == PN_PNRP_SCOPE_SITE ? pn_pnrp_ssdp_group_site : pn_pnrp_ssdp_group_link, 16);
    to->port = PN_PNRP_SSDP_PORT;
}

static void enqueue(pn_pnrp_ssdp *s, uint8_t type, const pn_pnrp_endpoint *to)
{
    if (s->qn >= sizeof s->q / sizeof s->q[0]) {
        s->drop_extra++;
        return;
    }
    s->q[s->qn].type = type;
    s->q[s->qn].to = *to;
    s->qn++;
}

void pn_pnrp_ssdp_search(pn_pnrp_ssdp *s)
{
    pn_pnrp_endpoint g;
    /* 3.1.4.2.2 */
    s->target_count = 0;
    s->searching = 1;
    group_of(s, &g);
    enqueue(s, PN_PNRP_SSDP_MSEARCH, &g);
}

void pn_pnrp_ssdp_input(pn_pnrp_ssdp *s, uint64_t now, const pn_pnrp_endpoint *from,
                        const uint8_t *buf, size_t len)
{
    pn_pnrp_ssdp_msg m;
    s->rx++;
    if (pn_pnrp_ssdp_decode(buf, len, &m) != PN_OK) {
        s->drop_decode++;
        return;
    }
    /* 3.1.5.1: only answers for this cloud's search target (its scope). */
    if (m.scope != s->scope || pn_pnrp_addr_scope(from->addr) != s->scope) {
        s->drop_scope++;
        return;
    }
    switch (m.type) {
    case PN_PNRP_SSDP_MSEARCH:
        /* A publisher answers (decision PE-59); the answer goes back to the searcher. */
        if (s->node->n_local_ids > 0)
            enqueue(s, PN_PNRP_SSDP_RESPONSE, from);
        return;
    case PN_PNRP_SSDP_RESPONSE:
    case PN_PNRP_SSDP_ALIVE:
        /* Answers to our search; an advertisement counts as one while the cache is
         * empty (PE-59).  At most five synchronisations per search (3.1.5.1). */
        if (m.type == PN_PNRP_SSDP_RESPONSE ? !s->searching
                                            : pn_pnrp_node_cache(s->node)->count != 0)
            return;
        if (s->target_count >= PN_PNRP_SSDP_TARGETS) {
            s->drop_extra++;
            return;
        }
        if (pn_pnrp_node_solicit(s->node, now, &m.al) != PN_OK) {
            s->drop_scope++;
            return;
        }
        s->target_count++;
        s->syncs++;
        return;
    default:
        return;
    }
}

void pn_pnrp_ssdp_tick(pn_pnrp_ssdp *s, uint64_t now)
{
    pn_pnrp_endpoint g;
    int publishing = s->node->n_local_ids > 0;
    group_of(s, &g);
    if (publishing && (!s->advertising || now >= s->next_notify)) {
        /* 3.2.4.1: the first registered name makes the node advertise. */
        s->advertising = 1;
        s->next_notify = now + PN_PNRP_SSDP_NOTIFY_MS;
        enqueue(s, PN_PNRP_SSDP_ALIVE, &g);
    } else if (!publishing && s->advertising) {
        /* 3.2.4.2: the last one gone, the advertisement is withdrawn. */
        s->advertising = 0;
        enqueue(s, PN_PNRP_SSDP_BYEBYE, &g);
    }
}

uint64_t pn_pnrp_ssdp_next_deadline(const pn_pnrp_ssdp *s)
{
    int publishing = s->node->n_local_ids > 0;
    if (publishing != s->advertising)
        return 0; /* at once */
    return s->advertising ? s->next_notify : UINT64_MAX;
}

int pn_pnrp_ssdp_poll_output(pn_pnrp_ssdp *s, uint8_t *buf, size_t cap, pn_pnrp_endpoint *to)
{
    pn_pnrp_ssdp_msg m;
    int len;
    if (s->qn == 0)
        return 0;
    memset(&m, 0, sizeof m);
    m.type = s->q[0].type;
    m.scope = s->scope;
    m.al = s->node->cfg.local[0];
    memcpy(m.usn_id, s->usn_id, 16);
    len = pn_pnrp_ssdp_encode(&m, buf, cap);
    if (len == PN_ERR_BUFSIZE)
        return len; /* stays queued */
    *to = s->q[0].to;
    memmove(&s->q[0], &s->q[1], (size_t)(s->qn - 1) * sizeof s->q[0]);
    s->qn--;
    return len;
}

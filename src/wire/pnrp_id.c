/* Peer names and PNRP IDs (MS-PNRP 1.3.1, 2.2.4, 3.1.4.4.1) and arithmetic on the 2^256
 * circle.  IDs are numbers with b[0] the most significant byte; the wire order lives in
 * pnrp_tlv.c (decision PW-1). */
#include "peernet/hash.h"
#include "wire/pnrp_int.h"

/* ---- peer names (2.2.4) -------------------------------------------------------------- */
static int hex_digit(char c)
{
    /* auchar = DIGIT / %d97-102: lower case only. */
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int pn_pnrp_name_parse(const char *text, size_t len, pn_pnrp_name *out)
{
    const uint8_t *s = (const uint8_t *)text;
    size_t dot, i, units = 0;
    memset(out, 0, sizeof *out);
    if (text == NULL)
        return PN_ERR_ARG;
    for (dot = 0; dot < len && text[dot] != '.'; dot++)
        ;
    if (dot == len)
        return PN_ERR_PNRP_NAME;
    if (dot == 1 && text[0] == '0') {
        out->secure = 0;
    } else if (dot == 40) {
        for (i = 0; i < 40; i += 2) {
            int hi = hex_digit(text[i]), lo = hex_digit(text[i + 1]);
            if (hi < 0 || lo < 0)
                return PN_ERR_PNRP_NAME;
            out->authority[i / 2] = (uint8_t)(hi << 4 | lo);
        }
        out->secure = 1;
    } else {
        return PN_ERR_PNRP_NAME;
    }
    /* classifier = 0*149clchar, clchar any UTF-16 code unit but NUL. */
    s += dot + 1;
    len -= dot + 1;
    if (pn_utf8_valid(s, len) != PN_OK)
        return PN_ERR_PNRP_NAME;
    for (i = 0; i < len; i++) {
        if (s[i] == 0)
            return PN_ERR_PNRP_NAME;
        if ((s[i] & 0xC0) != 0x80)
            units += s[i] >= 0xF0 ? 2 : 1; /* a 4-byte sequence is a surrogate pair */
    }
    if (units > PN_PNRP_CLASSIFIER_MAX)
        return PN_ERR_PNRP_NAME;
    out->classifier = (const char *)s;
    out->classifier_len = len;
    out->classifier_units = units;
    return PN_OK;
}

size_t pn_pnrp_authority_format(const uint8_t authority[20], int secure, char out[41])
{
    static const char digits[] = "0123456789abcdef";
    size_t i;
    if (!secure) {
        out[0] = '0';
        out[1] = 0;
        return 1;
    }
    for (i = 0; i < 20; i++) {
        out[2 * i] = digits[authority[i] >> 4];
        out[2 * i + 1] = digits[authority[i] & 15];
    }
    out[40] = 0;
    return 40;
}

/* Decision PW-10: the authority is SHA-1 of the CPA's PublicKey Data. */
void pn_pnrp_authority_of_key(const uint8_t *key_data, size_t len, uint8_t out[20])
{
    pn_sha1(key_data, len, out);
}

int pn_pnrp_name_matches_key(const pn_pnrp_name *n, const uint8_t *key_data, size_t len)
{
    uint8_t h[20];
    if (!n->secure)
        return 0;
    pn_pnrp_authority_of_key(key_data, len, h);
    return memcmp(h, n->authority, 20) == 0;
}

/* ---- IDs (1.3.1.2, 3.1.4.4.1) -------------------------------------------------------- */
int pn_pnrp_classifier_hash(const char *utf8, size_t len, uint8_t out[20])
{
    /* Decision PW-11: hash the UTF-16LE code units, no terminating NUL. */
    uint8_t u16[2 * PN_PNRP_CLASSIFIER_MAX];
    int n = pn_utf8_to_utf16le((const uint8_t *)utf8, len, u16, sizeof u16, NULL);
    if (n == PN_ERR_BUFSIZE)
        return PN_ERR_PNRP_NAME;
    if (n < 0)
        return n;
    pn_sha1(u16, (size_t)n, out);
    return PN_OK;
}

void pn_pnrp_p2p_id(const uint8_t classifier_hash[20], const uint8_t authority[20], uint8_t out[16])
{
    static const uint8_t goo[4] = {'P', 'N', 'R', 'P'}; /* 0x504E5250 */
    pn_sha1_ctx c;
    uint8_t h[20];
    pn_sha1_init(&c);
    pn_sha1_update(&c, classifier_hash, 20);
    pn_sha1_update(&c, authority, 20);
    pn_sha1_update(&c, classifier_hash, 20);
    pn_sha1_update(&c, goo, sizeof goo);
    pn_sha1_final(&c, h);
    /* Decision PW-23: the first output byte is the most significant. */
    memcpy(out, h, 16);
}

int pn_pnrp_name_id(const pn_pnrp_name *n, const uint8_t service_loc[16], pn_pnrp_id *out)
{
    uint8_t ch[20];
    int rc = pn_pnrp_classifier_hash(n->classifier, n->classifier_len, ch);
    if (rc != PN_OK)
        return rc;
    /* 1.3.1.2: an unsecured name uses 160 zero bits for the authority. */
    pn_pnrp_p2p_id(ch, n->authority, out->b);
    memcpy(out->b + 16, service_loc, 16);
    return PN_OK;
}

void pn_pnrp_cpa_id(const pn_pnrp_cpa *cpa, pn_pnrp_id *out)
{
    static const uint8_t zero[20] = {0};
    uint8_t empty[20];
    const uint8_t *ch = cpa->classifier_hash;
    if (!(cpa->flags & PN_PNRP_CPA_C)) {
        pn_sha1(NULL, 0, empty); /* no classifier: the hash of the empty one */
        ch = empty;
    }
    pn_pnrp_p2p_id(ch, (cpa->flags & PN_PNRP_CPA_A) ? cpa->authority : zero, out->b);
    memcpy(out->b + 16, cpa->service_loc, 16);
}

void pn_pnrp_service_location(uint64_t prefix, uint64_t suffix, uint8_t out[16])
{
    pn_put_u64be(out, prefix);
    pn_put_u64be(out + 8, suffix);
}

uint64_t pn_pnrp_sl_suffix(const uint8_t *key_data, size_t key_len, const pn_pnrp_endpoint *eps,
                           size_t n, uint8_t random_byte)
{
    pn_sha1_ctx c;
    uint8_t h[20], ep[PN_PNRP_ENDPOINT_LEN];
    size_t i;
    pn_sha1_init(&c);
    pn_sha1_update(&c, key_data, key_len);
    for (i = 0; i < n; i++) {
        pn_put_u16be(ep, eps[i].port);
        memcpy(ep + 2, eps[i].addr, 16);
        pn_sha1_update(&c, ep, sizeof ep);
    }
    pn_sha1_update(&c, &random_byte, 1);
    pn_sha1_final(&c, h);
    return pn_get_u64be(h);
}

/* ---- arithmetic mod 2^256 ------------------------------------------------------------ */
void pn_pnrp_id_add(pn_pnrp_id *out, const pn_pnrp_id *a, const pn_pnrp_id *b)
{
    unsigned carry = 0;
    int i;
    for (i = PN_PNRP_ID_LEN - 1; i >= 0; i--) {
        unsigned s = (unsigned)a->b[i] + b->b[i] + carry;
        out->b[i] = (uint8_t)s;
        carry = s >> 8;
    }
}

void pn_pnrp_id_inc(pn_pnrp_id *id)
{
    int i;
    for (i = PN_PNRP_ID_LEN - 1; i >= 0; i--)
        if (++id->b[i] != 0)
            break;
}

#if PN_PNRP_ID_WORDS
int pn_pnrp_id_cmp(const pn_pnrp_id *a, const pn_pnrp_id *b)
{
    /* The first 64 bits nearly always decide (a cache compares IDs millions of times). */
    uint64_t x = pn_get_u64be(a->b), y = pn_get_u64be(b->b);
    int c;
    if (x != y)
        return x < y ? -1 : 1;
    c = memcmp(a->b + 8, b->b + 8, PN_PNRP_ID_LEN - 8);
    return (c > 0) - (c < 0);
}

/* IDs as four 64-bit words, most significant first: the cache and the resolves compare
 * distances tens of millions of times in a large simulated cloud. */
static void id_words(uint64_t w[4], const pn_pnrp_id *a)
{
    w[0] = pn_get_u64be(a->b);
    w[1] = pn_get_u64be(a->b + 8);
    w[2] = pn_get_u64be(a->b + 16);
    w[3] = pn_get_u64be(a->b + 24);
}

static void words_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
    uint64_t borrow = 0;
    int i;
    for (i = 3; i >= 0; i--) {
        uint64_t d = a[i] - b[i];
        uint64_t nb = (a[i] < b[i]) | (d < borrow);
        r[i] = d - borrow;
        borrow = nb;
    }
}

static int words_cmp(const uint64_t a[4], const uint64_t b[4])
{
    int i;
    for (i = 0; i < 4; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

/* The shorter way round the circle (1.3.3): a - b, or b - a when a - b is more than
 * half the circle (the two add up to 2^256, so the shorter one is at most 2^255). */
static void words_distance(uint64_t d[4], const uint64_t a[4], const uint64_t b[4])
{
    words_sub(d, a, b);
    if (d[0] > 0x8000000000000000u || (d[0] == 0x8000000000000000u && (d[1] | d[2] | d[3]) != 0))
        words_sub(d, b, a);
}

static void words_put(pn_pnrp_id *out, const uint64_t w[4])
{
    pn_put_u64be(out->b, w[0]);
    pn_put_u64be(out->b + 8, w[1]);
    pn_put_u64be(out->b + 16, w[2]);
    pn_put_u64be(out->b + 24, w[3]);
}

void pn_pnrp_id_sub(pn_pnrp_id *out, const pn_pnrp_id *a, const pn_pnrp_id *b)
{
    uint64_t x[4], y[4], r[4];
    id_words(x, a);
    id_words(y, b);
    words_sub(r, x, y);
    words_put(out, r);
}

void pn_pnrp_id_distance(pn_pnrp_id *out, const pn_pnrp_id *a, const pn_pnrp_id *b)
{
    /* 1.3.3: the ID space is a circle; the distance is the shorter way round. */
    uint64_t x[4], y[4], d[4];
    id_words(x, a);
    id_words(y, b);
    words_distance(d, x, y);
    words_put(out, d);
}

int pn_pnrp_id_closer(const pn_pnrp_id *target, const pn_pnrp_id *a, const pn_pnrp_id *b)
{
    uint64_t t[4], x[4], da[4], db[4];
    id_words(t, target);
    id_words(x, a);
    words_distance(da, t, x);
    id_words(x, b);
    words_distance(db, t, x);
    return words_cmp(da, db);
}
#else
int pn_pnrp_id_cmp(const pn_pnrp_id *a, const pn_pnrp_id *b)
{
    int c = memcmp(a->b, b->b, PN_PNRP_ID_LEN);
    return (c > 0) - (c < 0);
}

void pn_pnrp_id_sub(pn_pnrp_id *out, const pn_pnrp_id *a, const pn_pnrp_id *b)
{
    int borrow = 0, i;
    for (i = PN_PNRP_ID_LEN - 1; i >= 0; i--) {
        int d = (int)a->b[i] - (int)b->b[i] - borrow;
        borrow = d < 0;
        out->b[i] = (uint8_t)(d + (borrow ? 256 : 0));
    }
}

void pn_pnrp_id_distance(pn_pnrp_id *out, const pn_pnrp_id *a, const pn_pnrp_id *b)
{
    /* 1.3.3: the ID space is a circle; the distance is the shorter way round. */
    pn_pnrp_id d1, d2;
    pn_pnrp_id_sub(&d1, a, b);
    pn_pnrp_id_sub(&d2, b, a);
    *out = pn_pnrp_id_cmp(&d1, &d2) <= 0 ? d1 : d2;
}

int pn_pnrp_id_closer(const pn_pnrp_id *target, const pn_pnrp_id *a, const pn_pnrp_id *b)
{
    pn_pnrp_id da, db;
    pn_pnrp_id_distance(&da, target, a);
    pn_pnrp_id_distance(&db, target, b);
    return pn_pnrp_id_cmp(&da, &db);
}
#endif

int pn_pnrp_id_prefix_equal(const pn_pnrp_id *a, const pn_pnrp_id *b, unsigned bits)
{
    unsigned full, rest;
    if (bits > 256)
        bits = 256;
    full = bits >> 3;
    rest = bits & 7;
    if (memcmp(a->b, b->b, full) != 0)
        return 0;
    if (rest == 0)
        return 1;
    return ((a->b[full] ^ b->b[full]) & (uint8_t)(0xFF << (8 - rest))) == 0;
}

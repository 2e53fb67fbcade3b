/* DER writer on top of pn_wr: lengths are fixed up when a constructed value closes
 * (see peernet/der.h for why a memmove rather than a reverse writer). */
#include "peernet/der.h"
#include "wire/pn_mem.h"

/* Octets needed after the first length octet (X.690 8.1.3.5: long form, minimal). */
static size_t len_extra(size_t len)
{
    size_t n = 0;
    if (len < 0x80u)
        return 0;
    while (len != 0) {
        n++;
        len >>= 8;
    }
    return n;
}

void pn_der_wr_header(pn_wr *w, uint8_t tag, size_t len)
{
    size_t n = len_extra(len), i;
    pn_wr_u8(w, tag);
    if (n == 0) {
        pn_wr_u8(w, (uint8_t)len);
        return;
    }
    pn_wr_u8(w, (uint8_t)(0x80u | n));
    for (i = n; i > 0; i--)
        pn_wr_u8(w, (uint8_t)(len >> (8 * (i - 1))));
}

void pn_der_wr_tlv(pn_wr *w, uint8_t tag, const void *val, size_t len)
{
    pn_der_wr_header(w, tag, len);
    pn_wr_bytes(w, val, len);
}

size_t pn_der_wr_open(pn_wr *w, uint8_t tag)
{
    pn_wr_u8(w, tag);
    return pn_wr_reserve(w, 1);
}

void pn_der_wr_close(pn_wr *w, size_t mark)
{
    size_t content, extra, i;
    if ((w->err != 0 && w->err != PN_ERR_BUFSIZE) || mark >= w->len)
        return;
    content = w->len - mark - 1;
    extra = len_extra(content);
    if (w->err == 0 && extra > w->cap - w->len)
        w->err = PN_ERR_BUFSIZE;
    if (w->err == 0) {
        uint8_t *p = w->buf + mark;
        if (extra > 0) {
            memmove(p + 1 + extra, p + 1, content);
            p[0] = (uint8_t)(0x80u | extra);
            for (i = 0; i < extra; i++)
                p[1 + i] = (uint8_t)(content >> (8 * (extra - 1 - i)));
        } else {
            p[0] = (uint8_t)content;
        }
    }
    if (extra > SIZE_MAX - w->len) {
        w->err = PN_ERR_OVERFLOW;
        return;
    }
    w->len += extra;
}

void pn_der_wr_uint(pn_wr *w, const uint8_t *mag, size_t len)
{
    size_t pad;
    while (len > 0 && mag[0] == 0) {
        mag++;
        len--;
    }
    if (len == 0) {
        static const uint8_t zero = 0;
        pn_der_wr_tlv(w, PN_DER_INTEGER, &zero, 1);
        return;
    }
    /* A set top bit would read as negative (X.690 8.3.3): prefix a zero octet. */
    pad = (mag[0] & 0x80u) ? 1 : 0;
    pn_der_wr_header(w, PN_DER_INTEGER, len + pad);
    if (pad)
        pn_wr_u8(w, 0);
    pn_wr_bytes(w, mag, len);
}

void pn_der_wr_i64(pn_wr *w, int64_t v)
{
    uint8_t b[8];
    uint64_t u = v < 0 ? ~(uint64_t)(-(v + 1)) : (uint64_t)v;
    size_t n = 8, off = 0;
    pn_put_u64be(b, u);
    /* Drop octets that only repeat the sign (X.690 8.3.2). */
    while (n - off > 1 && ((b[off] == 0x00u && (b[off + 1] & 0x80u) == 0) ||
                           (b[off] == 0xFFu && (b[off + 1] & 0x80u) != 0)))
        off++;
    pn_der_wr_tlv(w, PN_DER_INTEGER, b + off, n - off);
}

void pn_der_wr_bool(pn_wr *w, int v)
{
    uint8_t b = v ? 0xFFu : 0x00u;
    pn_der_wr_tlv(w, PN_DER_BOOLEAN, &b, 1);
}

void pn_der_wr_null(pn_wr *w)
{
    pn_der_wr_header(w, PN_DER_NULL, 0);
}

void pn_der_wr_oid(pn_wr *w, const uint8_t *enc, size_t len)
{
    pn_der_wr_tlv(w, PN_DER_OID, enc, len);
}

void pn_der_wr_bits(pn_wr *w, const uint8_t *bits, size_t len)
{
    pn_der_wr_header(w, PN_DER_BIT_STRING, len + 1);
    pn_wr_u8(w, 0);
    pn_wr_bytes(w, bits, len);
}

void pn_der_wr_octets(pn_wr *w, const uint8_t *val, size_t len)
{
    pn_der_wr_tlv(w, PN_DER_OCTET_STRING, val, len);
}

static void put2(uint8_t *p, int v)
{
    p[0] = (uint8_t)('0' + v / 10);
    p[1] = (uint8_t)('0' + v % 10);
}

void pn_der_wr_time(pn_wr *w, int64_t secs)
{
    int y, mo, d, h, mi, s;
    uint8_t b[15];
    size_t n = 0;
    if (pn_der_time_to_civil(secs, &y, &mo, &d, &h, &mi, &s) != PN_OK) {
        if (w->err == 0)
            w->err = PN_ERR_RANGE;
        return;
    }
    if (y >= 1950 && y <= 2049) {
        put2(b, y % 100);
        n = 2;
    } else {
        put2(b, y / 100);
        put2(b + 2, y % 100);
        n = 4;
    }
    put2(b + n, mo);
    put2(b + n + 2, d);
    put2(b + n + 4, h);
    put2(b + n + 6, mi);
    put2(b + n + 8, s);
    b[n + 10] = 'Z';
    pn_der_wr_tlv(w, n == 2 ? PN_DER_UTC_TIME : PN_DER_GENERALIZED_TIME, b, n + 11);
}

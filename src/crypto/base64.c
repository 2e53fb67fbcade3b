/* Base64 (RFC 4648 section 4) with a strict decoder.
 *
 * Strictness matters because certificates and keys travel as PEM: two different texts
 * decoding to the same bytes would let a signed object be re-encoded without changing
 * its meaning, and lenient decoders differ from each other in what they accept. */
#include <limits.h>

#include "peernet/base64.h"
#include "peernet/err.h"

/* All-ones when lo <= c <= hi (all below 256), else zero; no branch. */
static uint32_t b64_in_range(uint32_t c, uint32_t lo, uint32_t hi)
{
    return 0u - (1u ^ (((c - lo) | (hi - c)) >> 31));
}

/* RFC 4648 table 1 by arithmetic: 'A'..'Z' = 0..25, 'a'..'z' = 26..51, '0'..'9' =
 * 52..61, '+' = 62, '/' = 63.  Each step corrects the offset once v passes a range end
 * ((k - v) >> 8 is non-zero exactly when v > k). */
static char b64_char(uint32_t v)
{
    uint32_t c = v + 'A';
    c += ((25u - v) >> 8) & 6u;
    c -= ((51u - v) >> 8) & 75u;
    c -= ((61u - v) >> 8) & 15u;
    c += ((62u - v) >> 8) & 3u;
    return (char)c;
}

/* The 6-bit value of c, with *ok cleared when c is outside the alphabet. */
static uint32_t b64_value(uint32_t c, uint32_t *ok)
{
    uint32_t up = b64_in_range(c, 'A', 'Z'), lo = b64_in_range(c, 'a', 'z');
    uint32_t dig = b64_in_range(c, '0', '9'), plus = b64_in_range(c, '+', '+');
    uint32_t slash = b64_in_range(c, '/', '/');
    *ok = up | lo | dig | plus | slash;
    return ((c - 'A') & up) | ((c - 'a' + 26u) & lo) | ((c - '0' + 52u) & dig) | (62u & plus) |
           (63u & slash);
}

size_t pn_base64_encoded_len(size_t len)
{
    size_t groups = len / 3 + (len % 3 != 0);
    if (groups > (size_t)-1 / 4)
        return 0;
    return groups * 4;
}

int pn_base64_encode(const void *in, size_t len, char *out, size_t cap, size_t *needed)
{
    const uint8_t *s = (const uint8_t *)in;
    size_t total = pn_base64_encoded_len(len), i, o = 0;
    if ((total == 0 && len != 0) || total > (size_t)INT_MAX)
        return PN_ERR_RANGE;
    if (cap < total) {
        if (needed != NULL)
            *needed = total;
        return PN_ERR_BUFSIZE;
    }
    for (i = 0; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
        out[o++] = b64_char(v >> 18);
        out[o++] = b64_char((v >> 12) & 63u);
        out[o++] = b64_char((v >> 6) & 63u);
        out[o++] = b64_char(v & 63u);
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)s[i] << 16;
        out[o++] = b64_char(v >> 18);
        out[o++] = b64_char((v >> 12) & 63u);
        out[o++] = '=';
        out[o++] = '=';
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8;
        out[o++] = b64_char(v >> 18);
        out[o++] = b64_char((v >> 12) & 63u);
        out[o++] = b64_char((v >> 6) & 63u);
        out[o++] = '=';
    }
    return (int)o;
}

static int b64_is_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* One decoding pass: validates everything, writes only when out is not NULL, and
 * returns the decoded size.  The branches depend only on where whitespace and '=' are
 * (the layout of the text), not on the values of the data characters. */
static long b64_decode_pass(const char *in, size_t len, uint8_t *out, unsigned flags)
{
    uint32_t acc = 0, ok = ~0u;
    unsigned nq = 0, pad = 0;
    size_t i, n = 0;
    for (i = 0; i < len; i++) {
        char ch = in[i];
        uint32_t good;
        if ((flags & PN_BASE64_SKIP_WS) && b64_is_ws(ch))
            continue;
        if (pad > 0) {
            /* After the first '=' only the rest of the padding may follow (3.3). */
            if (nq == 4 || ch != '=')
                return PN_ERR_CRYPTO_BASE64;
            pad++;
            nq++;
            continue;
        }
        if (ch == '=') {
            /* Padding stands for one or two missing characters of a quantum. */
            if (nq < 2)
                return PN_ERR_CRYPTO_BASE64;
            pad = 1;
            nq++;
            continue;
        }
        acc = acc << 6 | b64_value((uint8_t)ch, &good);
        ok &= good;
        if (++nq == 4) {
            if (out != NULL) {
                out[n] = (uint8_t)(acc >> 16);
                out[n + 1] = (uint8_t)(acc >> 8);
                out[n + 2] = (uint8_t)acc;
            }
            n += 3;
            nq = 0;
            acc = 0;
        }
    }
    if (ok != ~0u)
        return PN_ERR_CRYPTO_BASE64;
    if (pad == 0)
        return nq == 0 ? (long)n : PN_ERR_CRYPTO_BASE64;
    /* 3.2: the text is padded to a whole quantum; 3.5: the bits under the padding are
     * zero in canonical text. */
    if (nq != 4)
        return PN_ERR_CRYPTO_BASE64;
    if (pad == 1) {
        if ((acc & 3u) != 0)
            return PN_ERR_CRYPTO_BASE64;
        if (out != NULL) {
            out[n] = (uint8_t)(acc >> 10);
            out[n + 1] = (uint8_t)(acc >> 2);
        }
        return (long)(n + 2);
    }
    if ((acc & 15u) != 0)
        return PN_ERR_CRYPTO_BASE64;
    if (out != NULL)
        out[n] = (uint8_t)(acc >> 4);
    return (long)(n + 1);
}

int pn_base64_decode(const char *in, size_t len, uint8_t *out, size_t cap, size_t *needed,
                     unsigned flags)
{
    long n;
    if (len > (size_t)INT_MAX)
        return PN_ERR_RANGE;
    n = b64_decode_pass(in, len, NULL, flags);
    if (n < 0)
        return (int)n;
    if ((size_t)n > cap) {
        if (needed != NULL)
            *needed = (size_t)n;
        return PN_ERR_BUFSIZE;
    }
    return (int)b64_decode_pass(in, len, out, flags);
}

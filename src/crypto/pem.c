/* PEM text encapsulation (RFC 7468) over the strict Base64 of peernet/base64.h. */
#include "peernet/base64.h"
#include "peernet/x509.h"
#include "wire/pn_mem.h"

static size_t str_len(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    return n;
}

static void put_line(pn_wr *w, const char *a, const char *label, size_t label_len)
{
    pn_wr_bytes(w, a, str_len(a));
    pn_wr_bytes(w, label, label_len);
    pn_wr_bytes(w, "-----\n", 6);
}

int pn_pem_encode(const char *label, const uint8_t *der, size_t der_len, char *out, size_t cap,
                  size_t *needed)
{
    pn_wr w;
    size_t label_len, off;
    if (label == NULL || (der == NULL && der_len > 0))
        return PN_ERR_ARG;
    label_len = str_len(label);
    pn_wr_init(&w, (uint8_t *)out, cap);
    put_line(&w, "-----BEGIN ", label, label_len);
    /* RFC 7468 2: generators wrap the Base64 text at exactly 64 characters. */
    for (off = 0; off < der_len; off += 48) {
        size_t chunk = der_len - off < 48 ? der_len - off : 48;
        size_t chars = pn_base64_encoded_len(chunk);
        if (pn_wr_err(&w) == 0 && w.cap - w.len >= chars) {
            int n = pn_base64_encode(der + off, chunk, out + w.len, chars, NULL);
            if (n < 0)
                return n;
            w.len += (size_t)n;
        } else {
            pn_wr_zeros(&w, chars); /* only counts: the buffer is already too small */
        }
        pn_wr_u8(&w, '\n');
    }
    put_line(&w, "-----END ", label, label_len);
    if (needed)
        *needed = pn_wr_len(&w);
    if (pn_wr_err(&w) != 0)
        return pn_wr_err(&w);
    if (pn_wr_len(&w) > (size_t)INT32_MAX)
        return PN_ERR_RANGE;
    return (int)pn_wr_len(&w);
}

/* Index of "-----<kind> label-----" at or after `from`, or len when absent. */
static size_t find_marker(const char *t, size_t len, size_t from, const char *kind,
                          const char *label)
{
    size_t kl = str_len(kind), ll = str_len(label), i;
    for (i = from; i < len; i++) {
        if (len - i < 10 + kl + ll)
            break;
        if (memcmp(t + i, "-----", 5) == 0 && memcmp(t + i + 5, kind, kl) == 0 &&
            memcmp(t + i + 5 + kl, label, ll) == 0 && memcmp(t + i + 5 + kl + ll, "-----", 5) == 0)
            return i;
    }
    return len;
}

int pn_pem_decode(const char *text, size_t len, const char *label, uint8_t *out, size_t cap,
                  size_t *needed, size_t *next)
{
    size_t b, body, e, ll;
    int rc;
    if (text == NULL || label == NULL)
        return PN_ERR_ARG;
    ll = str_len(label);
    b = find_marker(text, len, 0, "BEGIN ", label);
    if (b == len)
        return PN_ERR_NOTFOUND;
    body = b + 16 + ll;
    e = find_marker(text, len, body, "END ", label);
    if (e == len)
        return PN_ERR_NOTFOUND;
    rc = pn_base64_decode(text + body, e - body, out, cap, needed, PN_BASE64_SKIP_WS);
    if (rc >= 0 && needed)
        *needed = (size_t)rc;
    if (next) {
        size_t n = e + 14 + ll;
        while (n < len && (text[n] == '\r' || text[n] == '\n'))
            n++;
        *next = n;
    }
    return rc;
}

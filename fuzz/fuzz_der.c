/* Fuzz harness: the DER reader and writer on arbitrary bytes.
 * Invariants: the bounded walker and a flat cursor walk agree; every TLV it accepts
 * re-encodes to exactly the same bytes (DER is canonical); primitive decoders never
 * read outside their value and their round trips hold. */
#include <stdlib.h>
#include <string.h>

#include "peernet/der.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void primitive(const pn_der_tlv *t)
{
    pn_der d;
    const uint8_t *v;
    size_t n;
    unsigned u;
    int b, rc;
    int64_t x;
    uint8_t enc[32];
    char text[PN_DER_OID_TEXT_MAX * 2];
    pn_der_init(&d, t->tlv, t->tlv_len);
    switch (t->tag) {
    case PN_DER_INTEGER:
        if (pn_der_read_i64(&d, &x) == PN_OK) {
            pn_wr w;
            pn_wr_init(&w, enc, sizeof enc);
            pn_der_wr_i64(&w, x);
            if (pn_wr_len(&w) != t->tlv_len || memcmp(enc, t->tlv, t->tlv_len) != 0)
                abort();
        }
        break;
    case PN_DER_BOOLEAN:
        (void)pn_der_read_bool(&d, &b);
        break;
    case PN_DER_BIT_STRING:
        (void)pn_der_read_bits(&d, &v, &n, &u);
        break;
    case PN_DER_OID:
        if (pn_der_read_oid(&d, &v, &n) == PN_OK) {
            rc = pn_der_oid_text(v, n, text, sizeof text);
            if (rc > 0) {
                uint8_t back[256];
                int m = pn_der_oid_from_text(text, back, sizeof back);
                if (m >= 0 && ((size_t)m != n || memcmp(back, v, n) != 0))
                    abort();
            }
        }
        break;
    case PN_DER_UTC_TIME:
    case PN_DER_GENERALIZED_TIME:
        if (pn_der_read_time(&d, &x) == PN_OK) {
            int yy, mo, dd, hh, mi, ss;
            if (pn_der_time_to_civil(x, &yy, &mo, &dd, &hh, &mi, &ss) != PN_OK ||
                pn_der_time_from_civil(yy, mo, dd, hh, mi, ss) != x)
                abort();
        }
        break;
    default:
        if (pn_der_string_check(t->tag, t->val, t->len) == PN_OK &&
            pn_der_string_to_utf8(t->tag, t->val, t->len, text, sizeof text) >= 0 &&
            pn_utf8_valid((const uint8_t *)text, strlen(text)) != PN_OK)
            abort();
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Explicit stack of containers, as the library walker keeps. */
    pn_der stack[PN_DER_MAX_DEPTH + 1];
    static uint8_t out[1 << 16];
    unsigned depth = 0;
    int count = 0, want;
    if (size > sizeof out - 16)
        return 0;
    want = pn_der_validate(data, size, PN_DER_MAX_DEPTH);
    pn_der_init(&stack[0], data, size);
    for (;;) {
        pn_der_tlv t;
        int rc;
        while (depth > 0 && pn_der_at_end(&stack[depth]))
            depth--;
        if (depth == 0 && pn_der_at_end(&stack[0]))
            break;
        rc = pn_der_next(&stack[depth], &t);
        if (rc != PN_OK) {
            if (want >= 0)
                abort(); /* the walker accepted what the cursor refuses */
            return 0;
        }
        count++;
        {
            /* Re-encode the header: DER has one encoding per length. */
            pn_wr w;
            pn_wr_init(&w, out, sizeof out);
            pn_der_wr_header(&w, t.tag, t.len);
            if (pn_wr_len(&w) != t.tlv_len - t.len || memcmp(out, t.tlv, pn_wr_len(&w)) != 0)
                abort();
        }
        if (t.tag & PN_DER_CONSTRUCTED) {
            if (depth >= PN_DER_MAX_DEPTH) {
                if (want != PN_ERR_CRYPTO_DER_DEPTH)
                    abort();
                return 0;
            }
            pn_der_init(&stack[++depth], t.val, t.len);
        } else {
            primitive(&t);
        }
    }
    if (size > 0 && want != count)
        abort();
    return 0;
}

/* Fuzz harness: strict Base64 decoder (RFC 4648).
 * Invariants: decoding never overruns; text the strict decoder accepts is canonical, so
 * re-encoding it gives back the input (minus skipped whitespace); any bytes round-trip
 * through encode and decode. */
#include <stdlib.h>
#include <string.h>

#include "peernet/base64.h"
#include "peernet/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t raw[4096], back[4096];
    static char text[8192], strip[8192];
    unsigned flags;
    size_t need = 0, i, ns = 0;
    int n, m;
    if (size < 1 || size > 4096)
        return 0;
    flags = data[0] & 1u ? PN_BASE64_SKIP_WS : 0u;
    data++;
    size--;
    n = pn_base64_decode((const char *)data, size, raw, sizeof raw, &need, flags);
    if (n >= 0) {
        for (i = 0; i < size; i++) {
            char ch = (char)data[i];
            if (!(flags && (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')))
                strip[ns++] = ch;
        }
        m = pn_base64_encode(raw, (size_t)n, text, sizeof text, NULL);
        if (m != (int)ns || memcmp(text, strip, ns) != 0)
            abort();
        /* An exact-size buffer is enough, one byte less is refused with the size. */
        if (n > 0 && (pn_base64_decode((const char *)data, size, back, (size_t)n - 1, &need,
                                       flags) != PN_ERR_BUFSIZE ||
                      need != (size_t)n))
            abort();
    } else if (n != PN_ERR_CRYPTO_BASE64) {
        abort();
    }
    /* The input as raw bytes round-trips. */
    m = pn_base64_encode(data, size, text, sizeof text, NULL);
    if (m < 0 || pn_base64_decode(text, (size_t)m, back, sizeof back, NULL, 0) != (int)size ||
        memcmp(back, data, size) != 0)
        abort();
    return 0;
}

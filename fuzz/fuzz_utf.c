/* Fuzz harness: UTF-8 / UTF-16LE validation and conversion.
 * Invariants: validators agree with converters; a conversion round-trips exactly. */
#include <stdlib.h>
#include <string.h>

#include "peernet/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t a[8192], b[8192];
    size_t need = 0;
    int n, m;
    if (size > 2048)
        return 0;
    n = pn_utf8_to_utf16le(data, size, a, sizeof a, &need);
    if ((n >= 0) != (pn_utf8_valid(data, size) == PN_OK))
        abort();
    if (n >= 0) {
        m = pn_utf16le_to_utf8(a, (size_t)n, b, sizeof b, NULL);
        if (m != (int)size || memcmp(b, data, size) != 0)
            abort();
    }
    n = pn_utf16le_to_utf8(data, size, a, sizeof a, &need);
    if ((n >= 0) != (pn_utf16le_valid(data, size) == PN_OK))
        abort();
    if (n >= 0) {
        m = pn_utf8_to_utf16le(a, (size_t)n, b, sizeof b, NULL);
        if (m != (int)size || memcmp(b, data, size) != 0)
            abort();
    }
    return 0;
}

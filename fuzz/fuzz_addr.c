/* Fuzz harness: pn_addr_parse / pn_addr_format / pn_storage_name_valid on text input.
 * Invariant: whatever parses formats, and the formatted text parses to the same address. */
#include <stdlib.h>
#include <string.h>

#include "peernet/platform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[256], out[PN_ADDR_STRLEN];
    pn_addr a, b;
    if (size >= sizeof text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    (void)pn_storage_name_valid(text);
    if (pn_addr_parse(&a, text) != PN_OK)
        return 0;
    if (pn_addr_format(&a, out, sizeof out) < 0)
        abort();
    if (pn_addr_parse(&b, out) != PN_OK || !pn_addr_equal(&a, &b))
        abort();
    return 0;
}

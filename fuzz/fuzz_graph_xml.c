/* Fuzz harness: record attribute XML (MS-PPGRH 2.2.3.5), input taken as UTF-16 code
 * units (odd trailing byte dropped).  Invariants: the iterator sees as many elements as
 * the validator counted; every value expands; rebuilding the string from the expanded
 * parts gives attributes that validate again, with the same count. */
#include <stdlib.h>
#include <string.h>

#include "peernet/graph_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char names[PN_GRAPH_MAX_ATTRIBUTES][48], values[PN_GRAPH_MAX_ATTRIBUTES][4096];
    static uint8_t rebuilt[PN_GRAPH_MAX_ATTRIBUTES * 4096 * 6 + 1024];
    pn_graph_attr_in in[PN_GRAPH_MAX_ATTRIBUTES];
    pn_graph_str16 s, r;
    pn_graph_attr a;
    size_t pos = 0, k = 0;
    int n, app, got;
    if (size > 65536)
        return 0;
    s.p = data;
    s.count = (uint32_t)(size / 2);
    app = pn_graph_attrs_validate(&s, PN_GRAPH_ATTRS_APP, NULL, NULL);
    n = pn_graph_attrs_validate(&s, 0, NULL, NULL);
    if (app >= 0 && app != n)
        abort();
    if (n < 0)
        return 0;
    while ((got = pn_graph_attrs_next(&s, &pos, &a)) == 1) {
        size_t i;
        if (k >= (size_t)n || a.name.count > 40)
            abort();
        for (i = 0; i < a.name.count; i++)
            names[k][i] = (char)pn_graph_str16_unit(&a.name, i);
        names[k][i] = '\0';
        if (pn_graph_attr_value_utf8(&a, values[k], sizeof values[k], NULL) < 0)
            return 0; /* a value longer than this harness's buffer */
        in[k].name = names[k];
        in[k].type = a.type;
        in[k].value = values[k];
        k++;
    }
    if (got != 0 || k != (size_t)n)
        abort();
    if (pn_graph_attrs_encode(in, k, rebuilt, sizeof rebuilt, NULL, &r) < 0)
        abort();
    if (pn_graph_attrs_validate(&r, 0, NULL, NULL) != n)
        abort();
    return 0;
}

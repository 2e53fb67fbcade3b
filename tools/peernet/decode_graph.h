/* Text dump of one MS-PPGRH message (for `peernet decode graph FILE`). */
#ifndef PN_DECODE_GRAPH_H
#define PN_DECODE_GRAPH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Decode buf as one Peer Graphing message and print every field by name.  Returns 0
 * when the message is valid; otherwise prints "invalid: <ERRNAME> at offset <N> (<field>):
 * <message>" and returns 1. */
int pn_decode_graph_print(const uint8_t *buf, size_t len, FILE *out);

#endif

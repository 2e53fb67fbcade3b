/* Peer time: FILETIME (100 ns ticks since 1601-01-01 UTC, MS-PPGRH 1.1 "peer time") to
 * and from Unix milliseconds, without 64-bit division (the Cortex-M builds must not pull
 * in the libgcc 64-bit division helpers). */
#include "wire/graph_int.h"

/* Long division in base 2^16: every partial dividend is below 10,000 * 2^16 < 2^30, so
 * 32-bit division is exact. */
uint64_t pn_graph_div10000(uint64_t v, uint32_t *rem)
{
    uint64_t q = 0;
    uint32_t r = 0;
    int shift;
    for (shift = 48; shift >= 0; shift -= 16) {
        uint32_t cur = (r << 16) | (uint32_t)((v >> shift) & 0xFFFFu);
        q = (q << 16) | (cur / 10000u);
        r = cur % 10000u;
    }
    if (rem != NULL)
        *rem = r;
    return q;
}

/* 11,644,473,600,000 ms from 1601-01-01 to 1970-01-01. */
#define PN_GRAPH_EPOCH_MS 11644473600000ll

int64_t pn_graph_filetime_to_unix_ms(uint64_t ft)
{
    /* ft / 10,000 < 2^64 / 10^4 < 2^51, so the signed subtraction cannot overflow. */
    return (int64_t)pn_graph_div10000(ft, NULL) - PN_GRAPH_EPOCH_MS;
}

int pn_graph_unix_ms_to_filetime(int64_t ms, uint64_t *ft)
{
    /* The largest count of milliseconds whose tick count fits 64 bits (floor of
     * (2^64 - 1) / 10^4), written out so no division is compiled. */
    const int64_t max_since = 1844674407370955ll;
    if (ms < -PN_GRAPH_EPOCH_MS || ms > max_since - PN_GRAPH_EPOCH_MS)
        return PN_ERR_RANGE;
    *ft = (uint64_t)(ms + PN_GRAPH_EPOCH_MS) * 10000u;
    return PN_OK;
}

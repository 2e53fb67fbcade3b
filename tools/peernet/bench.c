/* `peernet bench`: every benchmark group in benches.def, one line per figure. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "peernet/wire.h"

double pn_bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void pn_bench_report(const char *name, double value, const char *unit, double ref)
{
    if (ref > 0)
        printf("bench %s %.6g %s ref %.6g ratio %.3f\n", name, value, unit, ref, value / ref);
    else
        printf("bench %s %.6g %s\n", name, value, unit);
    fflush(stdout);
}

/* Wire primitives: a reader/writer round trip over a 1 KiB message of mixed fields. */
void pn_bench_wire(void)
{
    static uint8_t buf[1024];
    volatile uint32_t sink = 0;
    double t0, dt;
    long iters = 0;
    t0 = pn_bench_now();
    do {
        int k;
        for (k = 0; k < 256; k++, iters++) {
            pn_wr w;
            pn_rd r;
            uint32_t acc = 0;
            int i;
            pn_wr_init(&w, buf, sizeof buf);
            for (i = 0; i < 146; i++) {
                pn_wr_u16be(&w, (uint16_t)i);
                pn_wr_u32le(&w, (uint32_t)(i * 2654435761u));
                pn_wr_u8(&w, (uint8_t)k);
            }
            pn_rd_init(&r, buf, pn_wr_len(&w));
            for (i = 0; i < 146; i++) {
                acc += pn_rd_u16be(&r);
                acc ^= pn_rd_u32le(&r);
                acc += pn_rd_u8(&r);
            }
            sink += acc + (uint32_t)pn_rd_finish(&r);
        }
        dt = pn_bench_now() - t0;
    } while (dt < 0.5);
    (void)sink;
    pn_bench_report("wire.rw_1k", (double)iters * 1022.0 / dt / 1e6, "MB/s", 0);
}

int pn_cmd_bench(int argc, char **argv)
{
    const char *only = NULL;
    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        fprintf(stderr, "usage: peernet bench [GROUP]\n");
        return argc == 2 && strcmp(argv[1], "--help") == 0 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    if (argc == 2)
        only = argv[1];
#define PN_BENCH(name)                                                                             \
    if (only == NULL || strcmp(only, #name) == 0)                                                  \
        pn_bench_##name();
#include "benches.def"
#undef PN_BENCH
    return PN_EXIT_OK;
}

/* The peernet command: shared declarations of its subcommands and helpers. */
#ifndef PN_CLI_H
#define PN_CLI_H

#include <stdint.h>
#include <stdio.h>

/* Exit statuses every subcommand follows. */
enum { PN_EXIT_OK = 0, PN_EXIT_FAIL = 1, PN_EXIT_USAGE = 2 };

/* Each subcommand: argv[0] is the subcommand's own name. */
#define PN_CMD(name, summary) int pn_cmd_##name(int argc, char **argv);
#include "commands.def"
#undef PN_CMD

/* ---- arguments (args.c) ---- */
/* A decimal integer 0..max (the whole string), or -1. */
int pn_arg_u64(const char *s, uint64_t max, uint64_t *out);
/* A probability 0..1 (the whole string), or -1. */
int pn_arg_prob(const char *s, double *out);

/* ---- benchmarks (bench.c) ---- */
/* Print `bench NAME VALUE UNIT`, and ` ref VALUE ratio R` when ref > 0. */
void pn_bench_report(const char *name, double value, const char *unit, double ref);
/* Seconds on a monotonic clock. */
double pn_bench_now(void);
/* Each benchmark group: runs its measurements and reports them. */
#define PN_BENCH(name) void pn_bench_##name(void);
#include "benches.def"
#undef PN_BENCH

#endif

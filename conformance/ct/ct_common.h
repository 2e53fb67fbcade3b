/* Shared helpers of the constant-time check programs (`make check-ct`).
 *
 * Each program marks its secrets undefined for Valgrind memcheck, runs the code under
 * test, and makes only the documented outputs defined again before it looks at them.
 * Memcheck then reports every conditional branch and every memory address computed
 * from a secret, and `valgrind --error-exitcode=1` turns any report into a failure.
 * A program also checks that the code gave the right answer, so a check that passes
 * because nothing ran is impossible.
 */
#ifndef PN_CT_COMMON_H
#define PN_CT_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/memcheck.h>

#define CT_SECRET(p, n) ((void)VALGRIND_MAKE_MEM_UNDEFINED((p), (n)))
#define CT_PUBLIC(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))

/* The right answer is required: a wrong one fails the program with exit status 2
 * (memcheck's own failures exit with 1). */
#define CT_EXPECT(cond)                                                                            \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond);                    \
            exit(2);                                                                               \
        }                                                                                          \
    } while (0)

/* Deterministic bytes (xorshift) for keys, messages and blinding: the check must not
 * depend on the run. */
typedef struct ct_rng {
    unsigned long long s;
} ct_rng;

static inline int ct_rng_fill(void *ctx, uint8_t *out, size_t len)
{
    ct_rng *r = (ct_rng *)ctx;
    size_t i;
    for (i = 0; i < len; i++) {
        r->s ^= r->s << 13;
        r->s ^= r->s >> 7;
        r->s ^= r->s << 17;
        out[i] = (uint8_t)(r->s >> 24);
    }
    return 0;
}

#endif

/* Constant-time helpers (internal): the hooks of the constant-time check (`make
 * check-ct`) and an optimisation barrier for masks.
 *
 * The check runs the secret-key code under Valgrind memcheck with the secrets marked
 * undefined, so that memcheck reports every branch and memory index computed from them.
 * Where the code must branch on a value that is derived from a secret but is public by
 * nature (a key length, a key-validity or fault-check verdict that is always the same
 * for a good key), PN_CT_DECLASSIFY marks exactly that value as defined, and the comment
 * at each use says why the value is public.  In every other build the hook is empty.
 */
#ifndef PN_CRYPTO_CT_CHECK_H
#define PN_CRYPTO_CT_CHECK_H

#if defined(PN_CT_VALGRIND) && PN_CT_VALGRIND
#include <valgrind/memcheck.h>
#define PN_CT_DECLASSIFY(p, len) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (len)))
#else
#define PN_CT_DECLASSIFY(p, len) ((void)(p), (void)(len))
#endif

/* An optimisation barrier for masks and 0/1 conditions: afterwards the compiler no
 * longer knows that the value is 0 or all-ones, so it cannot turn a masked select back
 * into a branch.  clang 14 does that at -O2 on x86-64 (`b[i] & mask` feeding an add
 * became a skipped load), which `make check-ct` with CC=clang caught.  An empty asm
 * statement costs nothing; compilers without GNU asm get no barrier, and the check
 * should be run with them. */
#if defined(__GNUC__)
#define PN_CT_BARRIER(x) __asm__("" : "+r"(x))
#else
#define PN_CT_BARRIER(x) ((void)0)
#endif

#endif

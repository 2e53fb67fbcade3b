/* Bare-metal test image: runs known-answer tests of the core library on a Cortex-M3
 * (QEMU mps2-an385; the same image also runs on the Cortex-M4 mps2-an386) and reports
 * through semihosting, with the stack each test used.  `make check-embedded`. */
#include "emb.h"

/* The test list; the resolve-only client image uses client/tests.def. */
#ifndef PN_EMB_TESTS_DEF
#define PN_EMB_TESTS_DEF "tests.def"
#endif

#define PN_EMB_TEST(name) int pn_emb_test_##name(void);
#include PN_EMB_TESTS_DEF
#undef PN_EMB_TEST

static const struct {
    const char *name;
    pn_emb_test_fn fn;
} tests[] = {
#define PN_EMB_TEST(name) {#name, pn_emb_test_##name},
#include PN_EMB_TESTS_DEF
#undef PN_EMB_TEST
};

int main(void)
{
    unsigned i, failed = 0, n = sizeof tests / sizeof tests[0];
    unsigned long deepest = 0;
    uintptr_t sp = pn_emb_sp();
    unsigned part = pn_emb_cpu_part();
    pn_emb_puts("peernet bare-metal tests on ");
    pn_emb_puts(part == 0xC23u ? "Cortex-M3" : part == 0xC24u ? "Cortex-M4" : "an unknown core");
#if defined(__ARM_ARCH_6M__)
    pn_emb_puts(" (image built for ARMv6-M, Cortex-M0+)");
#endif
    pn_emb_puts("\n");
    for (i = 0; i < n; i++) {
        int line;
        unsigned long used;
        pn_emb_stack_paint();
        line = tests[i].fn();
        used = pn_emb_stack_used(sp);
        if (used > deepest)
            deepest = used;
        pn_emb_puts(line == 0 ? "ok   " : "FAIL ");
        pn_emb_puts(tests[i].name);
        if (line != 0) {
            pn_emb_puts(" (check at line ");
            pn_emb_putu((unsigned long)line);
            pn_emb_puts(")");
            failed++;
        }
        pn_emb_puts("  [stack ");
        pn_emb_putu(used);
        pn_emb_puts(" B]\n");
    }
    pn_emb_putu(n - failed);
    pn_emb_puts(" passed, ");
    pn_emb_putu(failed);
    pn_emb_puts(" failed; deepest stack ");
    pn_emb_putu(deepest);
    pn_emb_puts(" bytes\n");
    return failed == 0 ? 0 : 1;
}

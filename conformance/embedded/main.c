/* Bare-metal test image: runs known-answer tests of the core library on a Cortex-M3
 * (QEMU mps2-an385) and reports through semihosting.  `make check-embedded`. */
#include "emb.h"

#define PN_EMB_TEST(name) int pn_emb_test_##name(void);
#include "tests.def"
#undef PN_EMB_TEST

static const struct {
    const char *name;
    pn_emb_test_fn fn;
} tests[] = {
#define PN_EMB_TEST(name) {#name, pn_emb_test_##name},
#include "tests.def"
#undef PN_EMB_TEST
};

int main(void)
{
    unsigned i, failed = 0, n = sizeof tests / sizeof tests[0];
    pn_emb_puts("peernet bare-metal tests (Cortex-M3, mps2-an385)\n");
    for (i = 0; i < n; i++) {
        int line = tests[i].fn();
        pn_emb_puts(line == 0 ? "ok   " : "FAIL ");
        pn_emb_puts(tests[i].name);
        if (line != 0) {
            pn_emb_puts(" (check at line ");
            pn_emb_putu((unsigned long)line);
            pn_emb_puts(")");
            failed++;
        }
        pn_emb_puts("\n");
    }
    pn_emb_putu(n - failed);
    pn_emb_puts(" passed, ");
    pn_emb_putu(failed);
    pn_emb_puts(" failed\n");
    return failed == 0 ? 0 : 1;
}

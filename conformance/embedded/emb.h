/* Bare-metal test image: semihosting output and exit, and the test table. */
#ifndef PN_EMB_H
#define PN_EMB_H

#include <stddef.h>
#include <stdint.h>

void pn_emb_puts(const char *s);
void pn_emb_putu(unsigned long v);
/* Ends the QEMU run: status 0 exits QEMU with 0, anything else with 1. */
void pn_emb_exit(int status) __attribute__((noreturn));

/* A test returns 0 on success or the line number of the first failed check. */
typedef int (*pn_emb_test_fn)(void);
#define PN_EMB_CHECK(cond)                                                                         \
    do {                                                                                           \
        if (!(cond))                                                                               \
            return __LINE__;                                                                       \
    } while (0)

#endif

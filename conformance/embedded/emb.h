/* Bare-metal test image: semihosting output and exit, and the test table. */
#ifndef PN_EMB_H
#define PN_EMB_H

#include <stddef.h>
#include <stdint.h>

void pn_emb_puts(const char *s);
void pn_emb_putu(unsigned long v);
/* Ends the QEMU run: status 0 exits QEMU with 0, anything else with 1. */
void pn_emb_exit(int status) __attribute__((noreturn));

/* Hex helpers: pn_emb_unhex returns the bytes written (0 on bad or oversized hex);
 * pn_emb_eq_hex is 1 when got[0..len) is exactly the bytes the hex text spells. */
size_t pn_emb_unhex(const char *hex, uint8_t *out, size_t cap);
int pn_emb_eq_hex(const uint8_t *got, size_t len, const char *hex);
int pn_emb_eq(const void *a, const void *b, size_t len); /* 1 when equal */
size_t pn_emb_strlen(const char *s);
void pn_emb_copy(void *dst, const void *src, size_t len);

/* Stack depth of one test: pn_emb_stack_paint() and then, after the test,
 * pn_emb_stack_used(sp) with sp = pn_emb_sp() taken in the same caller before the paint;
 * the result is the bytes below sp the test touched (within 64 KiB). */
void pn_emb_stack_paint(void);
unsigned long pn_emb_stack_used(uintptr_t caller_sp);
uintptr_t pn_emb_sp(void);
/* The core's CPUID PartNo: 0xC23 Cortex-M3, 0xC24 Cortex-M4. */
unsigned pn_emb_cpu_part(void);

/* A test returns 0 on success or the line number of the first failed check. */
typedef int (*pn_emb_test_fn)(void);
#define PN_EMB_CHECK(cond)                                                                         \
    do {                                                                                           \
        if (!(cond))                                                                               \
            return __LINE__;                                                                       \
    } while (0)

#endif

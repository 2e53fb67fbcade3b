/* ARM semihosting (bkpt 0xAB) for output and exit under QEMU -semihosting. */
#include "emb.h"

static uint32_t semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void pn_emb_puts(const char *s)
{
    semihost(0x04, s); /* SYS_WRITE0 */
}

void pn_emb_putu(unsigned long v)
{
    char buf[12];
    int i = 11;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    pn_emb_puts(buf + i);
}

void pn_emb_exit(int status)
{
    /* SYS_EXIT with ADP_Stopped_ApplicationExit (QEMU exits 0) or RunTimeErrorUnknown
     * (QEMU exits 1); on AArch32 the reason is passed directly in r1. */
    semihost(0x18, (const void *)(uintptr_t)(status == 0 ? 0x20026u : 0x20023u));
    for (;;)
        ;
}

/* Constant-time comparison and wiping of secrets. */
#include "peernet/hash.h"
#include "wire/pn_mem.h"

int pn_ct_equal(const void *a, const void *b, size_t len)
{
    /* Volatile reads keep the compiler from turning the loop into an early-exit
     * compare: every byte is always read, whatever the data. */
    const volatile uint8_t *x = (const volatile uint8_t *)a;
    const volatile uint8_t *y = (const volatile uint8_t *)b;
    uint32_t diff = 0;
    size_t i;
    for (i = 0; i < len; i++)
        diff |= (uint32_t)(x[i] ^ y[i]);
    /* diff is 0..255: diff - 1 borrows into bit 8 only when diff is 0. */
    return (int)(((diff - 1) >> 8) & 1);
}

void pn_wipe(void *p, size_t len)
{
#if defined(__GNUC__) || defined(__clang__)
    /* memset at full width, then an empty asm that is told it reads the buffer and
     * all of memory: the compiler has to finish the stores before it, and cannot
     * prove them dead however soon the object dies (glibc's explicit_bzero does the
     * same).  The HMAC-DRBG behind every message ID wipes a few hundred bytes per
     * call, so a byte at a time showed in the profiles. */
    if (len == 0)
        return;
    memset(p, 0, len);
    __asm__ __volatile__("" : : "r"(p) : "memory");
#else
    /* Stores through a volatile lvalue are observable behaviour, so they survive
     * dead-store elimination even when the object dies right after. */
    volatile uint8_t *q = (volatile uint8_t *)p;
    size_t i;
    for (i = 0; i < len; i++)
        q[i] = 0;
#endif
}

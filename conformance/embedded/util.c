/* Helpers shared by the bare-metal tests. */
#include "emb.h"

static int hex_nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t pn_emb_unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (hex[0] != '\0' && hex[1] != '\0' && n < cap) {
        int hi = hex_nibble(hex[0]), lo = hex_nibble(hex[1]);
        if (hi < 0 || lo < 0)
            return 0;
        out[n++] = (uint8_t)(hi << 4 | lo);
        hex += 2;
    }
    return hex[0] == '\0' ? n : 0;
}

int pn_emb_eq_hex(const uint8_t *got, size_t len, const char *hex)
{
    size_t i;
    for (i = 0; i < len; i++) {
        int hi, lo;
        if (hex[0] == '\0' || hex[1] == '\0')
            return 0;
        hi = hex_nibble(hex[0]);
        lo = hex_nibble(hex[1]);
        if (hi < 0 || lo < 0 || got[i] != (uint8_t)(hi << 4 | lo))
            return 0;
        hex += 2;
    }
    return hex[0] == '\0';
}

int pn_emb_eq(const void *a, const void *b, size_t len)
{
    const uint8_t *x = a, *y = b;
    size_t i;
    for (i = 0; i < len; i++)
        if (x[i] != y[i])
            return 0;
    return 1;
}

size_t pn_emb_strlen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    return n;
}

void pn_emb_copy(void *dst, const void *src, size_t len)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    while (len--)
        *d++ = *s++;
}

/* Stack high-water mark: fill the stack below the caller with a pattern, run a test,
 * then find the lowest word the test changed.  The two calls must come from the same
 * frame (main's), whose stack pointer is the reference. */
#define PAINT_WORD  0xA5C3A5C3u
#define PAINT_BYTES 65536u

static uintptr_t paint_floor;

__attribute__((noinline)) static uintptr_t stack_pointer(void)
{
    uintptr_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    return sp;
}

__attribute__((noinline)) void pn_emb_stack_paint(void)
{
    /* Below this function's own frame; everything from here down is free. */
    volatile uint32_t *p = (volatile uint32_t *)((stack_pointer() - 64u) & ~(uintptr_t)3);
    paint_floor = (uintptr_t)p - PAINT_BYTES;
    while ((uintptr_t)p > paint_floor)
        *--p = PAINT_WORD;
}

unsigned long pn_emb_stack_used(uintptr_t caller_sp)
{
    const volatile uint32_t *p = (const volatile uint32_t *)paint_floor;
    while ((uintptr_t)p < caller_sp && *p == PAINT_WORD)
        p++;
    return (unsigned long)(caller_sp - (uintptr_t)p);
}

uintptr_t pn_emb_sp(void)
{
    return stack_pointer();
}

unsigned pn_emb_cpu_part(void)
{
    /* SCB CPUID (ARMv7-M B3.2.3): PartNo in bits 15:4, 0xC23 Cortex-M3, 0xC24 Cortex-M4. */
    return (unsigned)((*(const volatile uint32_t *)0xE000ED00u >> 4) & 0xFFFu);
}

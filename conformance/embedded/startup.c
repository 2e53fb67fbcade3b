/* Cortex-M3 start-up for the bare-metal test image (QEMU mps2-an385): vector table,
 * reset handler that sets up .data/.bss and calls main, faults reported through
 * semihosting. */
#include <stdint.h>

#include "emb.h"

extern uint32_t __data_start, __data_end, __data_load, __bss_start, __bss_end, __stack_top;

int main(void);
void pn_emb_reset(void);
void pn_emb_fault(void);

void pn_emb_reset(void)
{
    uint32_t *src = &__data_load, *dst = &__data_start;
    while (dst < &__data_end)
        *dst++ = *src++;
    for (dst = &__bss_start; dst < &__bss_end;)
        *dst++ = 0;
    pn_emb_exit(main());
}

void pn_emb_fault(void)
{
    pn_emb_puts("FAULT: hard fault or unexpected exception\n");
    pn_emb_exit(1);
}

/* Initial stack pointer, reset, NMI, HardFault, MemManage, BusFault, UsageFault. */
__attribute__((section(".vectors"), used)) static void (*const vectors[])(void) = {
    (void (*)(void))(uintptr_t)&__stack_top,
    pn_emb_reset,
    pn_emb_fault,
    pn_emb_fault,
    pn_emb_fault,
    pn_emb_fault,
    pn_emb_fault,
};

/* MPS2 AN385 peripherals: CMSDK APB UART0 and the SysTick cycle counter. */
#include <stdint.h>

#include "serial_app.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

/* CMSDK APB UART0 */
#define UART0_BASE 0x40004000u
#define UART_DATA REG(UART0_BASE + 0x00u)
#define UART_STATE REG(UART0_BASE + 0x04u)
#define UART_CTRL REG(UART0_BASE + 0x08u)
#define UART_BAUDDIV REG(UART0_BASE + 0x10u)
#define UART_STATE_TX_FULL 1u
#define UART_STATE_RX_FULL 2u
#define CPU_HZ 25000000u

/* SysTick. QEMU clocks it at 25 MHz of virtual time (40 ns a tick); under -icount shift=0 each
   instruction takes 1 ns, so one tick is 40 instructions. CYCLES_PER_TICK scales ticks to
   instructions (the cycle count of a CPI-1 core); on real silicon SysTick counts core cycles:
   build with -DCYCLES_PER_TICK=1. */
#ifndef CYCLES_PER_TICK
#define CYCLES_PER_TICK 40u
#endif
#define SYST_CSR REG(0xE000E010u)
#define SYST_RVR REG(0xE000E014u)
#define SYST_CVR REG(0xE000E018u)
#define SYST_RELOAD 0x00FFFFFFu

static volatile uint32_t systick_wraps;

void board_init(void) {
  UART_BAUDDIV = CPU_HZ / 115200u;
  UART_CTRL = 3u; /* TX and RX enable */
  /* QEMU does not model the DWT cycle counter; SysTick on the core clock, extended to 32 bits
     by counting wraps, is deterministic under -icount. */
  SYST_RVR = SYST_RELOAD;
  SYST_CVR = 0;
  SYST_CSR = 7u; /* enable, interrupt, core clock */
}

void systick_handler(void) { systick_wraps++; }

uint32_t sa_cycles(void) {
  uint32_t wraps, value;
  do {
    wraps = systick_wraps;
    value = SYST_CVR;
  } while (wraps != systick_wraps);
  return (wraps * (SYST_RELOAD + 1u) + (SYST_RELOAD - value)) * CYCLES_PER_TICK;
}

uint8_t sa_uart_getc(void) {
  while (!(UART_STATE & UART_STATE_RX_FULL)) {
  }
  return (uint8_t)UART_DATA;
}

void sa_uart_putc(uint8_t byte) {
  while (UART_STATE & UART_STATE_TX_FULL) {
  }
  UART_DATA = byte;
}

/* Host "board" for the serial app: the UART is stdin/stdout, so `./firmware < requests` answers
   frames exactly as a device does (tests and debugging without hardware). No cycle counter. */
#include <stdio.h>
#include <stdlib.h>

#include "serial_app.h"

void board_init(void) {}

uint8_t sa_uart_getc(void) {
  int c = getchar();
  if (c == EOF) {
    fflush(stdout);
    exit(0);
  }
  return (uint8_t)c;
}

void sa_uart_putc(uint8_t byte) { putchar(byte); }

uint32_t sa_cycles(void) { return 0; }

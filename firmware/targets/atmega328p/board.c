/* ATmega328P (Arduino Uno, 16 MHz): USART0 at 115200 baud and a Timer1 cycle counter. */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <stdint.h>

#include "serial_app.h"

#define BAUD 115200UL
/* U2X: at 16 MHz, 115200 baud is UBRR 16 with U2X (+2.1%) versus UBRR 8 without (-3.5%). */
#define UBRR_VALUE ((F_CPU + 4UL * BAUD) / (8UL * BAUD) - 1UL)

static volatile uint16_t timer1_overflows;

ISR(TIMER1_OVF_vect) { timer1_overflows++; }

void board_init(void) {
  UBRR0 = (uint16_t)UBRR_VALUE;
  UCSR0A = _BV(U2X0);
  UCSR0B = _BV(RXEN0) | _BV(TXEN0);
  UCSR0C = _BV(UCSZ01) | _BV(UCSZ00); /* 8N1 */
  /* Timer1 free-running at the CPU clock; overflows extend it to 32 bits. */
  TCCR1A = 0;
  TCCR1B = _BV(CS10);
  TIMSK1 = _BV(TOIE1);
  sei();
}

uint32_t sa_cycles(void) {
  uint8_t sreg = SREG;
  cli();
  uint16_t low = TCNT1;
  uint16_t high = timer1_overflows;
  /* An overflow that happened since interrupts were masked is not yet counted. */
  if ((TIFR1 & _BV(TOV1)) && low < 0x8000u) high++;
  SREG = sreg;
  return ((uint32_t)high << 16) | low;
}

uint8_t sa_uart_getc(void) {
  while (!(UCSR0A & _BV(RXC0))) {
  }
  return UDR0;
}

void sa_uart_putc(uint8_t byte) {
  while (!(UCSR0A & _BV(UDRE0))) {
  }
  UDR0 = byte;
}

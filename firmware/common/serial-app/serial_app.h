/*
 * serial_app: the "inference request" frame protocol both firmware targets speak on their UART.
 * Specification: docs/firmware-serial.md. The target provides the three sa_* hooks; the
 * application provides app_infer() (today a stand-in, later the C runtime's tm_invoke()).
 */
#ifndef SERIAL_APP_H
#define SERIAL_APP_H

#include <stdint.h>

#define SA_REQUEST_MAGIC 0xA5u
#define SA_REPLY_MAGIC 0x5Au

enum sa_status {
  SA_OK = 0,
  SA_ERR_CRC = 1,      /* request CRC did not match; the input was discarded */
  SA_ERR_TOO_LONG = 2, /* input longer than SA_MAX_INPUT; the input was discarded */
  SA_ERR_INFER = 3     /* app_infer() failed (negative return) */
};

/* Buffer sizes are per target (the Uno has 2 KB of RAM); override with -D. */
#ifndef SA_MAX_INPUT
#define SA_MAX_INPUT 256
#endif
#ifndef SA_MAX_OUTPUT
#define SA_MAX_OUTPUT 260
#endif

/* Target hooks. sa_uart_getc blocks until a byte arrives. */
uint8_t sa_uart_getc(void);
void sa_uart_putc(uint8_t byte);
/* A free-running CPU cycle counter (wraps at 2^32). */
uint32_t sa_cycles(void);

/*
 * The application: run inference on in[0..in_len) and write at most out_cap bytes to out.
 * Returns the number of output bytes, or a negative value on failure.
 */
int32_t app_infer(const uint8_t *in, uint16_t in_len, uint8_t *out, uint16_t out_cap);

#ifdef SA_APP_BUFFERS
/*
 * With -DSA_APP_BUFFERS the application lends the request and reply buffers instead of the two
 * static SA_MAX_* arrays (tm_app: the model's input and output tensors, so a frame costs no RAM).
 * Each returns the buffer and stores its capacity; app_infer gets them as `in` and `out`.
 */
uint8_t *app_input_buffer(uint16_t *capacity);
uint8_t *app_output_buffer(uint16_t *capacity);
#endif

/* CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor). */
uint16_t sa_crc16_update(uint16_t crc, uint8_t byte);

/* Serve requests forever. */
void serial_app_run(void);

#endif /* SERIAL_APP_H */

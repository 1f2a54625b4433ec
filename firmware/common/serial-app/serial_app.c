/* The frame loop of docs/firmware-serial.md: read a request, run app_infer, write the reply. */
#include "serial_app.h"

#ifdef SA_APP_BUFFERS
/* The application lends its buffers (the model's input and output tensors): no copies in RAM. */
#define SA_IN(cap) app_input_buffer(cap)
#define SA_OUT(cap) app_output_buffer(cap)
#else
static uint8_t sa_in[SA_MAX_INPUT];
static uint8_t sa_out[SA_MAX_OUTPUT];
static uint8_t *sa_buffer(uint8_t *buffer, uint16_t size, uint16_t *cap) {
  *cap = size;
  return buffer;
}
#define SA_IN(cap) sa_buffer(sa_in, SA_MAX_INPUT, cap)
#define SA_OUT(cap) sa_buffer(sa_out, SA_MAX_OUTPUT, cap)
#endif

uint16_t sa_crc16_update(uint16_t crc, uint8_t byte) {
  crc ^= (uint16_t)byte << 8;
  for (uint8_t bit = 0; bit < 8; bit++) {
    crc = (crc & 0x8000u) ? (uint16_t)((crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
  }
  return crc;
}

static uint8_t get_crc(uint16_t *crc) {
  uint8_t b = sa_uart_getc();
  *crc = sa_crc16_update(*crc, b);
  return b;
}

static void put_crc(uint16_t *crc, uint8_t b) {
  *crc = sa_crc16_update(*crc, b);
  sa_uart_putc(b);
}

static void reply(uint8_t status, const uint8_t *out, uint16_t out_len, uint32_t cycles) {
  uint16_t crc = 0xFFFFu;
  sa_uart_putc(SA_REPLY_MAGIC);
  put_crc(&crc, status);
  put_crc(&crc, (uint8_t)out_len);
  put_crc(&crc, (uint8_t)(out_len >> 8));
  for (uint16_t i = 0; i < out_len; i++) put_crc(&crc, out[i]);
  for (uint8_t i = 0; i < 4; i++) put_crc(&crc, (uint8_t)(cycles >> (8 * i)));
  sa_uart_putc((uint8_t)crc);
  sa_uart_putc((uint8_t)(crc >> 8));
}

static void serve_one(void) {
  /* Bytes before the magic are noise (a reset mid-frame, a host resync): skip them. */
  while (sa_uart_getc() != SA_REQUEST_MAGIC) {
  }
  uint16_t crc = 0xFFFFu;
  uint16_t in_len = get_crc(&crc);
  in_len |= (uint16_t)get_crc(&crc) << 8;
  /* An oversized input is still consumed, so the next frame starts in sync. */
  uint16_t in_cap;
  uint8_t *in = SA_IN(&in_cap);
  uint8_t fits = in_len <= in_cap;
  for (uint16_t i = 0; i < in_len; i++) {
    uint8_t b = get_crc(&crc);
    if (fits) in[i] = b;
  }
  uint16_t sent = sa_uart_getc();
  sent |= (uint16_t)sa_uart_getc() << 8;
  if (sent != crc) {
    reply(SA_ERR_CRC, 0, 0, 0);
    return;
  }
  if (!fits) {
    reply(SA_ERR_TOO_LONG, 0, 0, 0);
    return;
  }
  uint16_t out_cap;
  uint8_t *out = SA_OUT(&out_cap);
  uint32_t start = sa_cycles();
  int32_t n = app_infer(in, in_len, out, out_cap);
  uint32_t cycles = sa_cycles() - start;
  if (n < 0 || n > out_cap) {
    reply(SA_ERR_INFER, 0, 0, 0);
    return;
  }
  reply(SA_OK, out, (uint16_t)n, cycles);
}

void serial_app_run(void) {
  for (;;) serve_one();
}

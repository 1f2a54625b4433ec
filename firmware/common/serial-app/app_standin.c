/*
 * Stand-in application until the C runtime lands: output = the input reversed, followed by the
 * sum of the input bytes mod 256. It exercises both directions of the protocol with lengths
 * that differ (in_len + 1), so a test can check framing byte for byte.
 *
 * The runtime replaces this file with one whose app_infer() copies `in` into the model's input
 * tensor, calls tm_invoke(), and copies the output tensor to `out` (tm_init() once, from main).
 */
#include "serial_app.h"

int32_t app_infer(const uint8_t *in, uint16_t in_len, uint8_t *out, uint16_t out_cap) {
  if ((uint32_t)in_len + 1u > out_cap) return -1;
  uint8_t sum = 0;
  for (uint16_t i = 0; i < in_len; i++) {
    out[in_len - 1u - i] = in[i];
    sum = (uint8_t)(sum + in[i]);
  }
  out[in_len] = sum;
  return (int32_t)in_len + 1;
}

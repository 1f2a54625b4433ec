/* app_infer() over the C runtime: see tm_app.h for the frame layout. */
#include <string.h>

#include "serial_app.h"
#include "tm_app.h"
#include "tm_app_config.h"

/* uint32_t elements: the runtime wants a 4-byte aligned arena. */
static uint32_t tm_app_arena[(TM_APP_ARENA_BYTES + 3u) / 4u];
static tm_status tm_app_state = TM_ERR_STATE;

tm_status tm_app_init(void) {
  tm_app_state = tm_init(TM_APP_MODEL, TM_APP_MODEL_SIZE, (uint8_t *)tm_app_arena, (uint32_t)sizeof tm_app_arena);
  return tm_app_state;
}

int32_t app_infer(const uint8_t *in, uint16_t in_len, uint8_t *out, uint16_t out_cap) {
  if (tm_app_state != TM_OK) return -1;
  uint32_t expected = 0, produced = 0;
  for (uint32_t i = 0; i < tm_input_count(); i++) expected += tm_input_bytes(i);
  for (uint32_t i = 0; i < tm_output_count(); i++) produced += tm_output_bytes(i);
  if (in_len != expected || produced > out_cap) return -2;
  /* With SA_APP_BUFFERS a single input and output already are the tensors: nothing to copy. */
  for (uint32_t i = 0; i < tm_input_count(); i++) {
    if (in != tm_input(i)) memcpy(tm_input(i), in, tm_input_bytes(i));
    in += tm_input_bytes(i);
  }
  if (tm_invoke() != TM_OK) return -3;
  for (uint32_t i = 0; i < tm_output_count(); i++) {
    if (out != tm_output(i)) memcpy(out, tm_output(i), tm_output_bytes(i));
    out += tm_output_bytes(i);
  }
  return (int32_t)produced;
}

#ifdef SA_APP_BUFFERS
/* The generator defines SA_APP_BUFFERS only for one input and one output: frames go straight
   into the input tensor and replies come straight from the output tensor, in the arena. */
static uint16_t tm_app_capacity(uint32_t bytes) {
  if (tm_app_state != TM_OK) return 0;
  return bytes > 0xFFFFu ? 0xFFFFu : (uint16_t)bytes;
}

uint8_t *app_input_buffer(uint16_t *capacity) {
  *capacity = tm_app_capacity(tm_input_bytes(0));
  return tm_input(0);
}

uint8_t *app_output_buffer(uint16_t *capacity) {
  *capacity = tm_app_capacity(tm_output_bytes(0));
  return tm_output(0);
}
#endif

/* tinyml C runtime: runs a .tflite model whose `tinyml_plan` metadata (written by the TypeScript
 * side, docs/tinyml-plan.md) holds the arena layout and every per-operator parameter. The device
 * reads the model in place, never allocates, and has no Prepare step.
 *
 *   tm_init(model, model_size, arena, arena_size);    once; checks the plan
 *   memcpy(tm_input(0), frame, tm_input_bytes(0));
 *   tm_invoke();
 *   tm_output(0) ... tm_output_bytes(0)
 *
 * One model at a time (the state is static). The arena must be 4-byte aligned. */
#ifndef TINYML_H
#define TINYML_H

#include <stdint.h>

typedef enum {
  TM_OK = 0,
  TM_ERR_MODEL,        /* the flatbuffer is malformed or truncated */
  TM_ERR_NO_PLAN,      /* no `tinyml_plan` metadata: run withTinymlPlan on the host */
  TM_ERR_PLAN,         /* the plan is corrupt (magic, length, CRC or a record out of bounds) */
  TM_ERR_PLAN_VERSION, /* the plan was written by a newer format */
  TM_ERR_ARENA,        /* the arena is smaller than the plan needs */
  TM_ERR_KERNEL,       /* an operator's kernel is not in this firmware's op table */
  TM_ERR_TENSOR,       /* an operator refers to a tensor with no data */
  TM_ERR_STATE         /* tm_invoke before a successful tm_init */
} tm_status;

tm_status tm_init(const uint8_t *model, uint32_t model_size, uint8_t *arena, uint32_t arena_size);
tm_status tm_invoke(void);
/* Variable tensors (SVDF/LSTM state) back to their initial value, as after tm_init. */
void tm_reset(void);

uint32_t tm_input_count(void);
uint32_t tm_output_count(void);
uint8_t *tm_input(uint32_t index);  /* NULL when out of range */
uint8_t *tm_output(uint32_t index); /* NULL when out of range */
uint32_t tm_input_bytes(uint32_t index);
uint32_t tm_output_bytes(uint32_t index);
uint32_t tm_arena_needed(void);     /* after tm_init, even a failed TM_ERR_ARENA one */
/* After a failed tm_invoke: the index of the operator that failed. */
uint32_t tm_failed_operator(void);
const char *tm_status_name(tm_status status);

#endif

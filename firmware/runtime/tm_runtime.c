/* Plan reader and interpreter loop. Plan layout: docs/tinyml-plan.md. */
#include <string.h>
#include "tm_flatbuffer.h"
#include "tm_kernel.h"

#define TM_PLAN_MAGIC 0x4C504D54UL /* "TMPL" */
#define TM_PLAN_VERSION 1u
#define TM_PLAN_HEADER_WORDS 11u
#define TM_NO_OFFSET 0xFFFFFFFFUL

static struct {
  tm_fb fb;
  const uint8_t *plan;
  uint8_t *arena;
  uint32_t arena_needed;
  uint32_t tensor_count, op_count, input_count, output_count, variable_count;
  uint32_t inputs, outputs, offsets, sizes, variables, ops; /* byte positions inside the plan */
  uint32_t tensors_end; /* end of the last arena tensor: kernel state and scratch follow */
  uint32_t failed_operator;
  int ready;
} rt;

static uint32_t plan_word(uint32_t pos) { return tm_read_u32(rt.plan + pos); }

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32), bitwise: no 1 KB table in RAM or flash. */
static uint32_t crc32_of(const uint8_t *p, uint32_t n) {
  uint32_t crc = 0xFFFFFFFFUL, i;
  int bit;
  for (i = 0; i < n; i++) {
    crc ^= TM_READ_U8(p + i);
    for (bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xEDB88320UL & (0u - (crc & 1u)));
  }
  return crc ^ 0xFFFFFFFFUL;
}

static tm_kernel_fn find_kernel(uint32_t id) {
  uint32_t i;
  for (i = 0; i < tm_op_table_size; i++) {
    if (tm_op_table[i].id == id) return tm_op_table[i].invoke;
  }
  return 0;
}

static tm_status check_plan(uint32_t length) {
  uint32_t pos, i, words;
  if (length < 4 * TM_PLAN_HEADER_WORDS || plan_word(0) != TM_PLAN_MAGIC) return TM_ERR_PLAN;
  if (plan_word(4) != TM_PLAN_VERSION) return TM_ERR_PLAN_VERSION;
  if (plan_word(8) != length || (length & 3u) != 0) return TM_ERR_PLAN;
  if (plan_word(12) != crc32_of(rt.plan + 16, length - 16)) return TM_ERR_PLAN;
  rt.arena_needed = plan_word(16);
  if (plan_word(20) != 0) return TM_ERR_PLAN; /* only subgraph 0 runs */
  rt.tensor_count = plan_word(24);
  rt.op_count = plan_word(28);
  rt.input_count = plan_word(32);
  rt.output_count = plan_word(36);
  rt.variable_count = plan_word(40);
  words = length / 4 - TM_PLAN_HEADER_WORDS;
  if (rt.input_count > words || rt.output_count > words || rt.tensor_count > words / 2 || rt.variable_count > words / 2 ||
      rt.input_count + rt.output_count + 2 * rt.tensor_count + 2 * rt.variable_count > words) {
    return TM_ERR_PLAN;
  }
  rt.inputs = 4 * TM_PLAN_HEADER_WORDS;
  rt.outputs = rt.inputs + 4 * rt.input_count;
  rt.offsets = rt.outputs + 4 * rt.output_count;
  rt.sizes = rt.offsets + 4 * rt.tensor_count;
  rt.variables = rt.sizes + 4 * rt.tensor_count;
  rt.ops = rt.variables + 8 * rt.variable_count;
  rt.tensors_end = 0;
  for (i = 0; i < rt.tensor_count; i++) {
    uint32_t offset = plan_word(rt.offsets + 4 * i), size = plan_word(rt.sizes + 4 * i);
    if (offset != TM_NO_OFFSET && (offset > rt.arena_needed || size > rt.arena_needed - offset)) return TM_ERR_PLAN;
    if (offset != TM_NO_OFFSET && offset + size > rt.tensors_end) rt.tensors_end = offset + size;
  }
  for (i = 0; i < rt.input_count + rt.output_count; i++) {
    uint32_t tensor = plan_word(rt.inputs + 4 * i);
    if (tensor >= rt.tensor_count || plan_word(rt.offsets + 4 * tensor) == TM_NO_OFFSET) return TM_ERR_PLAN;
  }
  for (i = 0; i < rt.variable_count; i++) {
    uint32_t tensor = plan_word(rt.variables + 8 * i);
    if (tensor >= rt.tensor_count || plan_word(rt.offsets + 4 * tensor) == TM_NO_OFFSET) return TM_ERR_PLAN;
  }
  pos = rt.ops;
  for (i = 0; i < rt.op_count; i++) {
    uint32_t count;
    if (length - pos < 8) return TM_ERR_PLAN;
    count = plan_word(pos + 4);
    if (count > (length - pos - 8) / 4) return TM_ERR_PLAN;
    pos += 8 + 4 * count;
  }
  return pos == length ? TM_OK : TM_ERR_PLAN;
}

/* An array, not a literal: literals share one merged section with tm_status_name's strings,
   which the linker then cannot drop, and on AVR that section is copied to RAM (~200 bytes). */
static const char tm_plan_name[] = "tinyml_plan";

tm_status tm_init(const uint8_t *model, uint32_t model_size, uint8_t *arena, uint32_t arena_size) {
  uint32_t plan_pos, plan_length, i, pos;
  tm_status status;
  rt.ready = 0;
  rt.arena_needed = 0;
  rt.fb.base = model;
  rt.fb.size = model_size;
  if (model == 0 || tm_fb_root(&rt.fb) == 0) return TM_ERR_MODEL;
  plan_pos = tm_fb_metadata(&rt.fb, tm_plan_name, &plan_length);
  if (plan_pos == 0) return TM_ERR_NO_PLAN;
  rt.plan = model + plan_pos;
  status = check_plan(plan_length);
  if (status != TM_OK) return status;
  if (arena == 0 || arena_size < rt.arena_needed) return TM_ERR_ARENA;
  rt.arena = arena;
  for (pos = rt.ops, i = 0; i < rt.op_count; i++) {
    if (find_kernel(plan_word(pos)) == 0) {
      rt.failed_operator = i;
      return TM_ERR_KERNEL;
    }
    pos += 8 + 4 * plan_word(pos + 4);
  }
  rt.ready = 1;
  tm_reset();
  return TM_OK;
}

void tm_reset(void) {
  uint32_t i;
  if (!rt.ready) return;
  /* Kernel state (persistent memory placed by the host after the tensors) starts at zero. */
  memset(rt.arena + rt.tensors_end, 0, rt.arena_needed - rt.tensors_end);
  for (i = 0; i < rt.variable_count; i++) {
    uint32_t tensor = plan_word(rt.variables + 8 * i);
    memset(tm_tensor_arena((int32_t)tensor), (int)(plan_word(rt.variables + 8 * i + 4) & 0xFFu), plan_word(rt.sizes + 4 * tensor));
  }
}

tm_status tm_invoke(void) {
  uint32_t pos, i;
  if (!rt.ready) return TM_ERR_STATE;
  for (pos = rt.ops, i = 0; i < rt.op_count; i++) {
    tm_op op;
    tm_status status;
    op.count = plan_word(pos + 4);
    op.params = rt.plan + pos + 8;
    status = find_kernel(plan_word(pos))(&op);
    if (status != TM_OK) {
      rt.failed_operator = i;
      return status;
    }
    pos += 8 + 4 * op.count;
  }
  return TM_OK;
}

uint8_t *tm_tensor_arena(int32_t index) {
  uint32_t offset;
  if (index < 0 || (uint32_t)index >= rt.tensor_count) return 0;
  offset = plan_word(rt.offsets + 4 * (uint32_t)index);
  return offset == TM_NO_OFFSET ? 0 : rt.arena + offset;
}

uint8_t *tm_arena_at(uint32_t offset, uint32_t bytes) {
  return offset <= rt.arena_needed && bytes <= rt.arena_needed - offset ? rt.arena + offset : 0;
}

const uint8_t *tm_tensor_bytes(int32_t index) {
  uint8_t *in_arena = tm_tensor_arena(index);
  uint32_t pos, length;
  if (in_arena != 0 || index < 0 || (uint32_t)index >= rt.tensor_count) return in_arena;
  pos = tm_fb_tensor_data(&rt.fb, (uint32_t)index, &length);
  if (pos == 0 || length < plan_word(rt.sizes + 4 * (uint32_t)index)) return 0;
  return rt.fb.base + pos;
}

uint32_t tm_input_count(void) { return rt.ready ? rt.input_count : 0; }
uint32_t tm_output_count(void) { return rt.ready ? rt.output_count : 0; }
uint8_t *tm_input(uint32_t index) { return index < tm_input_count() ? tm_tensor_arena((int32_t)plan_word(rt.inputs + 4 * index)) : 0; }
uint8_t *tm_output(uint32_t index) { return index < tm_output_count() ? tm_tensor_arena((int32_t)plan_word(rt.outputs + 4 * index)) : 0; }
uint32_t tm_input_bytes(uint32_t index) { return index < tm_input_count() ? plan_word(rt.sizes + 4 * plan_word(rt.inputs + 4 * index)) : 0; }
uint32_t tm_output_bytes(uint32_t index) { return index < tm_output_count() ? plan_word(rt.sizes + 4 * plan_word(rt.outputs + 4 * index)) : 0; }
uint32_t tm_arena_needed(void) { return rt.arena_needed; }
uint32_t tm_failed_operator(void) { return rt.failed_operator; }

const char *tm_status_name(tm_status status) {
  switch (status) {
    case TM_OK: return "ok";
    case TM_ERR_MODEL: return "malformed model";
    case TM_ERR_NO_PLAN: return "no tinyml_plan metadata";
    case TM_ERR_PLAN: return "corrupt tinyml_plan";
    case TM_ERR_PLAN_VERSION: return "unsupported tinyml_plan version";
    case TM_ERR_ARENA: return "arena too small";
    case TM_ERR_KERNEL: return "kernel missing from the op table";
    case TM_ERR_TENSOR: return "tensor without data";
    case TM_ERR_STATE: return "not initialised";
  }
  return "unknown status";
}

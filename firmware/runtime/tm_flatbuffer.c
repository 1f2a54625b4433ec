#include "tm_flatbuffer.h"
#include "tm_platform.h"

enum { MODEL_SUBGRAPHS = 2, MODEL_BUFFERS = 4, MODEL_METADATA = 6 };
enum { SUBGRAPH_TENSORS = 0, TENSOR_BUFFER = 2, BUFFER_DATA = 0, BUFFER_OFFSET = 1, BUFFER_SIZE = 2 };
enum { METADATA_NAME = 0, METADATA_BUFFER = 1 };

static int in_bounds(const tm_fb *fb, uint32_t pos, uint32_t width) {
  return pos <= fb->size && width <= fb->size - pos;
}

uint32_t tm_fb_root(const tm_fb *fb) {
  uint32_t root;
  if (!in_bounds(fb, 0, 8)) return 0;
  root = tm_read_u32(fb->base);
  return in_bounds(fb, root, 4) && root != 0 ? root : 0;
}

static uint32_t field_offset(const tm_fb *fb, uint32_t table, unsigned field) {
  int32_t back;
  uint32_t vtable, vsize, entry;
  if (table == 0 || !in_bounds(fb, table, 4)) return 0;
  back = tm_read_i32(fb->base + table);
  vtable = (uint32_t)((int64_t)table - back);
  if ((int64_t)table - back < 0 || !in_bounds(fb, vtable, 4)) return 0;
  vsize = tm_read_u16(fb->base + vtable);
  entry = 4 + 2 * field;
  if (entry + 2 > vsize || !in_bounds(fb, vtable, vsize)) return 0;
  return tm_read_u16(fb->base + vtable + entry);
}

uint32_t tm_fb_field_pos(const tm_fb *fb, uint32_t table, unsigned field, uint32_t width) {
  uint32_t offset = field_offset(fb, table, field);
  if (offset == 0 || !in_bounds(fb, table + offset, width)) return 0;
  return table + offset;
}

uint32_t tm_fb_field_ref(const tm_fb *fb, uint32_t table, unsigned field) {
  uint32_t pos = tm_fb_field_pos(fb, table, field, 4), target;
  if (pos == 0) return 0;
  target = pos + tm_read_u32(fb->base + pos);
  return target > pos && in_bounds(fb, target, 4) ? target : 0;
}

uint32_t tm_fb_vector_len(const tm_fb *fb, uint32_t vector) {
  uint32_t len;
  if (vector == 0) return 0;
  len = tm_read_u32(fb->base + vector);
  return in_bounds(fb, vector + 4, len) ? len : 0;
}

uint32_t tm_fb_vector_table(const tm_fb *fb, uint32_t vector, uint32_t index) {
  uint32_t len = tm_fb_vector_len(fb, vector), element, target;
  if (index >= len || len > (fb->size / 4)) return 0;
  element = vector + 4 + 4 * index;
  if (!in_bounds(fb, element, 4)) return 0;
  target = element + tm_read_u32(fb->base + element);
  return target > element && in_bounds(fb, target, 4) ? target : 0;
}

static int string_equals(const tm_fb *fb, uint32_t string, const char *text) {
  uint32_t len = tm_fb_vector_len(fb, string), i;
  if (string == 0) return 0;
  for (i = 0; i < len; i++) {
    if (text[i] == '\0' || TM_READ_U8(fb->base + string + 4 + i) != (uint8_t)text[i]) return 0;
  }
  return text[len] == '\0';
}

static uint32_t buffer_data(const tm_fb *fb, uint32_t buffer_index, uint32_t *length) {
  uint32_t model = tm_fb_root(fb);
  uint32_t buffer = tm_fb_vector_table(fb, tm_fb_field_ref(fb, model, MODEL_BUFFERS), buffer_index);
  uint32_t data = tm_fb_field_ref(fb, buffer, BUFFER_DATA);
  uint32_t offset_pos = tm_fb_field_pos(fb, buffer, BUFFER_OFFSET, 8);
  *length = 0;
  if (data != 0) {
    *length = tm_fb_vector_len(fb, data);
    return *length ? data + 4 : 0;
  }
  if (offset_pos != 0) {
    /* Buffers stored after the flatbuffer (models over 2 GB, or written that way). */
    uint32_t offset = tm_read_u32(fb->base + offset_pos);
    uint32_t size_pos = tm_fb_field_pos(fb, buffer, BUFFER_SIZE, 8);
    uint32_t size = size_pos ? tm_read_u32(fb->base + size_pos) : 0;
    if (offset > 1 && size > 0 && in_bounds(fb, offset, size)) {
      *length = size;
      return offset;
    }
  }
  return 0;
}

uint32_t tm_fb_metadata(const tm_fb *fb, const char *name, uint32_t *length) {
  uint32_t model = tm_fb_root(fb);
  uint32_t list = tm_fb_field_ref(fb, model, MODEL_METADATA);
  uint32_t count = tm_fb_vector_len(fb, list), i;
  *length = 0;
  for (i = 0; i < count; i++) {
    uint32_t entry = tm_fb_vector_table(fb, list, i);
    if (string_equals(fb, tm_fb_field_ref(fb, entry, METADATA_NAME), name)) {
      uint32_t pos = tm_fb_field_pos(fb, entry, METADATA_BUFFER, 4);
      return pos ? buffer_data(fb, tm_read_u32(fb->base + pos), length) : 0;
    }
  }
  return 0;
}

uint32_t tm_fb_tensor_data(const tm_fb *fb, uint32_t index, uint32_t *length) {
  uint32_t model = tm_fb_root(fb);
  uint32_t subgraph = tm_fb_vector_table(fb, tm_fb_field_ref(fb, model, MODEL_SUBGRAPHS), 0);
  uint32_t tensor = tm_fb_vector_table(fb, tm_fb_field_ref(fb, subgraph, SUBGRAPH_TENSORS), index);
  uint32_t pos = tm_fb_field_pos(fb, tensor, TENSOR_BUFFER, 4);
  *length = 0;
  return pos ? buffer_data(fb, tm_read_u32(fb->base + pos), length) : 0;
}

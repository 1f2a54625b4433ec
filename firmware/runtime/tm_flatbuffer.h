/* A read-only, bounds-checked view of the few .tflite flatbuffer fields the runtime needs
 * (schema.fbs: Model.buffers/subgraphs/metadata, SubGraph.tensors, Tensor.buffer,
 * Buffer.data/offset/size, Metadata.name/buffer). Positions are byte offsets into the model;
 * 0 means absent or invalid (no table can start at 0, the root offset lives there). */
#ifndef TM_FLATBUFFER_H
#define TM_FLATBUFFER_H

#include <stdint.h>

typedef struct {
  const uint8_t *base;
  uint32_t size;
} tm_fb;

uint32_t tm_fb_root(const tm_fb *fb);
/* The table/vector/string an offset field points to, 0 if absent or out of bounds. */
uint32_t tm_fb_field_ref(const tm_fb *fb, uint32_t table, unsigned field);
/* A scalar field's position, 0 if absent (the caller then uses the schema default). */
uint32_t tm_fb_field_pos(const tm_fb *fb, uint32_t table, unsigned field, uint32_t width);
uint32_t tm_fb_vector_len(const tm_fb *fb, uint32_t vector);
uint32_t tm_fb_vector_table(const tm_fb *fb, uint32_t vector, uint32_t index);
/* The bytes of the model's metadata entry `name`, or 0 (with *length 0) if missing. */
uint32_t tm_fb_metadata(const tm_fb *fb, const char *name, uint32_t *length);
/* The constant data of subgraph 0's tensor `index`, or 0 when it has none. */
uint32_t tm_fb_tensor_data(const tm_fb *fb, uint32_t index, uint32_t *length);

#endif

/*
 * tm_platform.h: how the runtime reads constant data (the model array, lookup tables) on each
 * target. On the host and on Cortex-M, `const` data is addressable memory and plain loads work.
 * On AVR (Harvard), `const` data would be copied to the 2 KB of RAM at start-up unless it is
 * placed in flash with PROGMEM, and flash must then be read with LPM (pgm_read_*).
 *
 * Rules for code that uses this header:
 *   - Declare constant data as `TM_CONST uint8_t name[] = {...};` (TM_CONST includes `const`).
 *   - Read it ONLY through TM_READ_U8/U16/U32/I8/I16/I32(ptr): never dereference a TM_CONST
 *     pointer directly, never memcpy from it (use tm_const_memcpy).
 *   - Multi-byte reads are little-endian and need no alignment (flatbuffers are LE; all three
 *     targets are LE), so they work on any byte offset inside a flatbuffer.
 */
#ifndef TM_PLATFORM_H
#define TM_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* AVR reads constant data from flash (the runtime's AVR build may also say so with TM_PROGMEM). */
#if defined(__AVR__) || defined(TM_PROGMEM)
#include <avr/pgmspace.h>
#define TM_CONST const PROGMEM
/* A pointer into flash; it is still a data-space pointer type in C, so keep them apart by name. */
#define TM_READ_U8(p) ((uint8_t)pgm_read_byte((const uint8_t *)(p)))
#define TM_READ_U16(p) ((uint16_t)pgm_read_word((const uint8_t *)(p)))
#define TM_READ_U32(p) ((uint32_t)pgm_read_dword((const uint8_t *)(p)))
#define tm_const_memcpy(dst, src, n) memcpy_P((dst), (src), (n))
/* 16-bit pointers: models above 32 KB cannot exist on this part anyway (32 KB flash). */
#else
#include <string.h>
#define TM_CONST const
static inline uint16_t tm_read_u16_le(const void *p) {
  const uint8_t *b = (const uint8_t *)p;
  return (uint16_t)(b[0] | ((uint16_t)b[1] << 8));
}
static inline uint32_t tm_read_u32_le(const void *p) {
  const uint8_t *b = (const uint8_t *)p;
  return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}
#define TM_READ_U8(p) (*(const uint8_t *)(p))
#define TM_READ_U16(p) tm_read_u16_le(p)
#define TM_READ_U32(p) tm_read_u32_le(p)
#define tm_const_memcpy(dst, src, n) memcpy((dst), (src), (n))
#endif

#define TM_READ_I8(p) ((int8_t)TM_READ_U8(p))
#define TM_READ_I16(p) ((int16_t)TM_READ_U16(p))
#define TM_READ_I32(p) ((int32_t)TM_READ_U32(p))

/* The runtime's typed spellings of the same reads (flatbuffer fields, plan words). */
static inline uint16_t tm_read_u16(const uint8_t *p) { return TM_READ_U16(p); }
static inline uint32_t tm_read_u32(const uint8_t *p) { return TM_READ_U32(p); }
static inline int32_t tm_read_i32(const uint8_t *p) { return (int32_t)TM_READ_U32(p); }

#endif /* TM_PLATFORM_H */

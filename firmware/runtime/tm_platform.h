/* Access to constant model data (weights, biases, the plan). On the host and on Cortex-M the
 * model array is ordinary memory; the AVR build defines TM_PROGMEM and reads it from flash with
 * pgm_read_byte, because a const array there lives in program memory. Every read of model bytes
 * goes through these macros so that one switch changes the address space. */
#ifndef TM_PLATFORM_H
#define TM_PLATFORM_H

#include <stdint.h>
#include <stddef.h>

#if defined(TM_PROGMEM)
#include <avr/pgmspace.h>
#define TM_READ_U8(p) ((uint8_t)pgm_read_byte(p))
#else
#define TM_READ_U8(p) (*(const uint8_t *)(p))
#endif

#define TM_READ_I8(p) ((int8_t)TM_READ_U8(p))

/* Little-endian reads assembled byte by byte: the model array need not be aligned. */
static inline uint16_t tm_read_u16(const uint8_t *p) {
  return (uint16_t)(TM_READ_U8(p) | ((uint16_t)TM_READ_U8(p + 1) << 8));
}
static inline uint32_t tm_read_u32(const uint8_t *p) {
  return (uint32_t)TM_READ_U8(p) | ((uint32_t)TM_READ_U8(p + 1) << 8) |
         ((uint32_t)TM_READ_U8(p + 2) << 16) | ((uint32_t)TM_READ_U8(p + 3) << 24);
}
static inline int32_t tm_read_i32(const uint8_t *p) { return (int32_t)tm_read_u32(p); }

#endif

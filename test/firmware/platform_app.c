/*
 * Test application for firmware/runtime/tm_platform.h: app_infer([kind, offset]) reads the
 * constant table below through TM_READ_* and returns the value as 4 little-endian bytes
 * (sign-extended for the signed kinds). Kinds: 0 U8, 1 U16, 2 U32, 3 I8, 4 I16, 5 I32, and
 * 6: U8 of the 1 KB filler at 1000 + offset, which checks that TM_CONST data stays in flash on
 * AVR (not copied to RAM) and reads correctly beyond the first 256 bytes.
 */
#include "serial_app.h"
#include "tm_platform.h"

TM_CONST uint8_t platform_table[9] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99};
TM_CONST uint8_t platform_filler[1024] = {[1000] = 0x5A};

int32_t app_infer(const uint8_t *in, uint16_t in_len, uint8_t *out, uint16_t out_cap) {
  if (in_len != 2 || out_cap < 4) return -1;
  const uint8_t *p = platform_table + in[1];
  uint32_t v;
  switch (in[0]) {
    case 0: v = TM_READ_U8(p); break;
    case 1: v = TM_READ_U16(p); break;
    case 2: v = TM_READ_U32(p); break;
    case 3: v = (uint32_t)(int32_t)TM_READ_I8(p); break;
    case 4: v = (uint32_t)(int32_t)TM_READ_I16(p); break;
    case 5: v = (uint32_t)TM_READ_I32(p); break;
    case 6: v = TM_READ_U8(platform_filler + 1000u + in[1]); break;
    default: return -1;
  }
  for (uint8_t i = 0; i < 4; i++) out[i] = (uint8_t)(v >> (8 * i));
  return 4;
}

/* Cortex-M3 start-up without libc: vector table, .data copy, .bss clear, then main(). */
#include <stddef.h>
#include <stdint.h>

extern uint32_t _stack_top, _data_load, _data_start, _data_end, _bss_start, _bss_end;
int main(void);
void systick_handler(void);

static void fault_handler(void) {
  for (;;) {
  }
}

void reset_handler(void) {
  const uint32_t *src = &_data_load;
  for (uint32_t *dst = &_data_start; dst < &_data_end;) *dst++ = *src++;
  for (uint32_t *dst = &_bss_start; dst < &_bss_end;) *dst++ = 0;
  main();
  for (;;) {
  }
}

/* Only the entries this firmware uses; the rest fall into fault_handler. */
__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))&_stack_top, reset_handler, fault_handler, fault_handler, fault_handler,
    fault_handler, fault_handler, 0, 0, 0, 0, fault_handler, fault_handler, 0, fault_handler,
    systick_handler,
};

/* gcc may emit calls to these even with -nostdlib (struct copies, zeroed arrays). */
void *memcpy(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  while (n--) *d++ = *s++;
  return dst;
}

void *memset(void *dst, int value, size_t n) {
  uint8_t *d = dst;
  while (n--) *d++ = (uint8_t)value;
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if (d < s) {
    while (n--) *d++ = *s++;
  } else {
    while (n--) d[n] = s[n];
  }
  return dst;
}

/* Host test program: `tm_host MODEL.tflite < frames > outputs`. Reads the model file (the
 * device build embeds it as a C array instead), then for each frame on stdin (all inputs'
 * bytes in index order) invokes once and writes all outputs' bytes in index order. Errors go
 * to stderr as `tinyml: <status> [operator N]` with exit status 2. */
#include <stdio.h>
#include <stdlib.h>
#include "../tinyml.h"

#define ARENA_BYTES (8u * 1024u * 1024u)
static uint32_t arena_words[ARENA_BYTES / 4];

static int fail(const char *what, tm_status status, int with_operator) {
  if (with_operator) fprintf(stderr, "tinyml: %s: %s at operator %lu\n", what, tm_status_name(status), (unsigned long)tm_failed_operator());
  else fprintf(stderr, "tinyml: %s: %s\n", what, tm_status_name(status));
  return 2;
}

int main(int argc, char **argv) {
  FILE *file;
  long size;
  uint8_t *model;
  tm_status status;
  uint32_t i, frame = 0, reset_every = argc == 3 ? (uint32_t)strtoul(argv[2], 0, 10) : 0;
  if (argc != 2 && argc != 3) {
    fprintf(stderr, "usage: %s MODEL.tflite [RESET_EVERY] < frames > outputs\n", argv[0]);
    return 1;
  }
  file = fopen(argv[1], "rb");
  if (!file || fseek(file, 0, SEEK_END) != 0 || (size = ftell(file)) < 0 || fseek(file, 0, SEEK_SET) != 0) {
    fprintf(stderr, "tinyml: cannot read %s\n", argv[1]);
    return 1;
  }
  model = (uint8_t *)malloc((size_t)size + 1);
  if (!model || fread(model, 1, (size_t)size, file) != (size_t)size) return 1;
  fclose(file);
  status = tm_init(model, (uint32_t)size, (uint8_t *)arena_words, ARENA_BYTES);
  if (status != TM_OK) return fail("init", status, status == TM_ERR_KERNEL);
  fprintf(stderr, "tinyml: arena %lu bytes\n", (unsigned long)tm_arena_needed());
  for (;;) {
    /* tm_reset before every RESET_EVERY-th frame: state back to its start (tested by test/firmware). */
    if (reset_every > 0 && frame > 0 && frame % reset_every == 0) tm_reset();
    frame++;
    for (i = 0; i < tm_input_count(); i++) {
      size_t want = tm_input_bytes(i), got = fread(tm_input(i), 1, want, stdin);
      if (got == 0 && i == 0) return 0;
      if (got != want) {
        fprintf(stderr, "tinyml: truncated frame\n");
        return 1;
      }
    }
    status = tm_invoke();
    if (status != TM_OK) return fail("invoke", status, 1);
    for (i = 0; i < tm_output_count(); i++) fwrite(tm_output(i), 1, tm_output_bytes(i), stdout);
  }
}

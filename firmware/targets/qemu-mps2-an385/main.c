#include "serial_app.h"

void board_init(void);

int main(void) {
  board_init();
  /* The runtime's tm_init() goes here, before the request loop. */
  serial_app_run();
  return 0;
}

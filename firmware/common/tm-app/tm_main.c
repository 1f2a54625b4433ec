/* main() of a generated firmware project: board, then the model (tm_init), then the frame loop. */
#include "serial_app.h"
#include "tm_app.h"

void board_init(void);

int main(void) {
  board_init();
  /* A failed tm_init leaves app_infer answering SA_ERR_INFER, so the host sees it on the first request. */
  (void)tm_app_init();
  serial_app_run();
  return 0;
}

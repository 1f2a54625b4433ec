/*
 * avr-uart-pty: a simulated Arduino Uno (ATmega328P at 16 MHz, simavr) with USART0 bridged to
 * a pseudo-terminal, so host programs (serialport, avrdude) talk to it like a USB serial board.
 *
 *   avr-uart-pty [--boot BOOT.hex] [--reset-hold-ms N] [--fast] APP.hex|APP.elf
 *
 * Prints "pty: /dev/pts/N" on stdout once the board is ready. Like an Uno's auto-reset (DTR
 * pulses RESET when the port opens), every open of the pty resets the core; a pty has no DTR
 * line, so the open itself is the signal. With --boot the core starts at 0x7E00 (BOOTRST),
 * MCUSR says EXTRF (Optiboot only waits for a programmer after an external reset) and the core
 * is held in reset for --reset-hold-ms (default 1000 with --boot, 0 without) after each open.
 * The core runs paced to real time (so UART timing matches a real board) unless --fast.
 * Facts behind these choices: ../shared/notes/emulators.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <simavr/avr_uart.h>
#include <simavr/sim_avr.h>
#include <simavr/sim_elf.h>
#include <simavr/sim_hex.h>
#include <simavr/sim_irq.h>

#define FREQUENCY 16000000u
#define BOOT_ADDR 0x7E00u
#define MCUSR_ADDR 0x54u /* data-space address of MCUSR on the ATmega328P */
#define EXTRF 0x02u
#define RAMEND_328P 0x08FFu
#define SPL_ADDR 0x5Du
#define SPH_ADDR 0x5Eu
#define UCSR0B_ADDR 0xC1u
#define RXEN0_BIT 0x10u
#define POLL_EVERY_CYCLES 1600u /* 100 us of simulated time */

static int master_fd = -1;
static int slave_open;
static int uart_xoff;
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

static void die(const char *what, const char *detail) {
  fprintf(stderr, "avr-uart-pty: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
  exit(2);
}

static void on_uart_output(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq;
  (void)param;
  if (!slave_open) return; /* nobody listening: the byte is lost, as on a real board */
  uint8_t byte = (uint8_t)value;
  while (write(master_fd, &byte, 1) < 0 && errno == EAGAIN) {
    usleep(100);
  }
}

static void on_xon(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq;
  (void)value;
  (void)param;
  uart_xoff = 0;
}

static void on_xoff(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq;
  (void)value;
  (void)param;
  uart_xoff = 1;
}

static void load_image(avr_t *avr, const char *path) {
  size_t n = strlen(path);
  if (n > 4 && strcmp(path + n - 4, ".elf") == 0) {
    elf_firmware_t fw;
    memset(&fw, 0, sizeof fw);
    if (elf_read_firmware(path, &fw) != 0) die("cannot read ELF", path);
    if (fw.flashbase + fw.flashsize > avr->flashend + 1) die("image larger than flash", path);
    memcpy(avr->flash + fw.flashbase, fw.flash, fw.flashsize);
    return;
  }
  ihex_chunk_p chunks = NULL;
  int count = read_ihex_chunks(path, &chunks);
  if (count <= 0) die("cannot read Intel HEX", path);
  for (int i = 0; i < count; i++) {
    if (chunks[i].baseaddr + chunks[i].size > avr->flashend + 1) die("image larger than flash", path);
    memcpy(avr->flash + chunks[i].baseaddr, chunks[i].data, chunks[i].size);
  }
  free_ihex_chunks(chunks);
}

static void uart_quiet(avr_t *avr) {
  uint32_t flags = 0;
  avr_ioctl(avr, AVR_IOCTL_UART_GET_FLAGS('0'), &flags);
  flags &= ~(uint32_t)(AVR_UART_FLAG_STDIO | AVR_UART_FLAG_POLL_SLEEP);
  avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);
}

static void board_reset(avr_t *avr, int has_boot) {
  avr_reset(avr);
  uart_quiet(avr);
  if (has_boot) avr->pc = BOOT_ADDR;
  avr->data[MCUSR_ADDR] = EXTRF;
  avr->data[SPL_ADDR] = RAMEND_328P & 0xFF;
  avr->data[SPH_ADDR] = RAMEND_328P >> 8;
  uart_xoff = 0;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Linux reports POLLHUP on a pty master while no process has the slave open. */
static int slave_is_open(void) {
  struct pollfd p = {.fd = master_fd, .events = POLLIN};
  if (poll(&p, 1, 0) < 0) return 0;
  return !(p.revents & POLLHUP);
}

int main(int argc, char **argv) {
  const char *boot = NULL, *app = NULL;
  long hold_ms = -1;
  int fast = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--boot") == 0 && i + 1 < argc) boot = argv[++i];
    else if (strcmp(argv[i], "--reset-hold-ms") == 0 && i + 1 < argc) hold_ms = atol(argv[++i]);
    else if (strcmp(argv[i], "--fast") == 0) fast = 1;
    else if (argv[i][0] != '-' && !app) app = argv[i];
    else die("usage: avr-uart-pty [--boot BOOT.hex] [--reset-hold-ms N] [--fast] APP.hex|APP.elf", NULL);
  }
  if (!app && !boot) die("no image given", NULL);
  if (hold_ms < 0) hold_ms = boot ? 1000 : 0;

  avr_t *avr = avr_make_mcu_by_name("atmega328p");
  if (!avr) die("simavr has no atmega328p core", NULL);
  avr_init(avr);
  avr->frequency = FREQUENCY;
  avr->log = 0;
  memset(avr->flash, 0xFF, avr->flashend + 1); /* erased flash, as on a chip */
  if (app) load_image(avr, app);
  if (boot) load_image(avr, boot);
  if (boot) avr->reset_pc = BOOT_ADDR;

  avr_irq_t *uart = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT),
                          on_uart_output, NULL);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XON), on_xon,
                          NULL);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XOFF),
                          on_xoff, NULL);

  master_fd = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
  if (master_fd < 0 || grantpt(master_fd) != 0 || unlockpt(master_fd) != 0) die("posix_openpt failed", strerror(errno));
  struct termios tio;
  if (tcgetattr(master_fd, &tio) == 0) {
    cfmakeraw(&tio);
    tcsetattr(master_fd, TCSANOW, &tio);
  }
  /* Linux reports POLLHUP on the master only once a slave has been opened and closed again;
     open and close it once so the first real open is seen as an open (the auto-reset). */
  int slave_fd = open(ptsname(master_fd), O_RDWR | O_NOCTTY);
  if (slave_fd < 0) die("cannot open the pty slave", strerror(errno));
  close(slave_fd);

  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGPIPE, SIG_IGN);

  board_reset(avr, boot != NULL);
  printf("pty: %s\n", ptsname(master_fd));
  fflush(stdout);

  uint8_t pending[64];
  size_t pending_len = 0, pending_at = 0;
  double hold_until = 0;
  double wall_start = now_seconds();
  avr_cycle_count_t cycle_start = avr->cycle;
  avr_cycle_count_t next_poll = 0;
  while (!stop_requested) {
    if (avr->cycle >= next_poll) {
      next_poll = avr->cycle + POLL_EVERY_CYCLES;
      int open_now = slave_is_open();
      if (open_now && !slave_open) {
        board_reset(avr, boot != NULL);
        pending_at = pending_len = 0;
        hold_until = now_seconds() + (double)hold_ms / 1000.0;
      }
      slave_open = open_now;
      if (hold_until > 0) {
        if (now_seconds() < hold_until) {
          usleep(1000);
          continue;
        }
        hold_until = 0;
        wall_start = now_seconds();
        cycle_start = avr->cycle;
      }
      /* Bytes wait in the pty until the firmware has enabled its receiver (after a reset the
         bootloader or application needs a moment), then go in while simavr's receive FIFO has
         room (XOFF when full), so no byte is lost however fast the host writes. */
      if (slave_open && (avr->data[UCSR0B_ADDR] & RXEN0_BIT)) {
        while (!uart_xoff) {
          if (pending_at == pending_len) {
            ssize_t n = read(master_fd, pending, sizeof pending);
            if (n <= 0) break;
            pending_len = (size_t)n;
            pending_at = 0;
          }
          avr_raise_irq(uart, pending[pending_at++]);
        }
      }
      if (!fast) {
        double ahead = (double)(avr->cycle - cycle_start) / FREQUENCY - (now_seconds() - wall_start);
        if (ahead > 0.002) usleep((useconds_t)(ahead * 1e6));
      }
    }
    int state = avr_run(avr);
    /* simavr's own resets (the watchdog's, which Optiboot uses to start the application) clear
       SP to 0 where the chip sets RAMEND; below 0x100 is never a valid stack on this part. */
    if (avr->data[SPH_ADDR] == 0) {
      avr->data[SPL_ADDR] = RAMEND_328P & 0xFF;
      avr->data[SPH_ADDR] = RAMEND_328P >> 8;
    }
    if (state == cpu_Crashed) {
      /* Typically the PC ran off the end of erased flash (no application yet). A real chip
         wraps around into the bootloader; restart the core so a programmer can still reach it.
         MCUSR 0 (not an external reset): Optiboot goes straight on to the application. */
      fprintf(stderr, "avr-uart-pty: core crashed at pc 0x%04x; resetting it\n", avr->pc);
      board_reset(avr, boot != NULL);
      avr->data[MCUSR_ADDR] = 0;
    } else if (state == cpu_Done) {
      fprintf(stderr, "avr-uart-pty: core stopped (sleep with interrupts off) at pc 0x%04x\n", avr->pc);
      return 1;
    }
  }
  return 0;
}

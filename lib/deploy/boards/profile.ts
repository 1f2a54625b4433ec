// What a board offers a model: the figures fits() checks and the tools a project for it uses.

/** The CPU core, as the runtime-size table and the toolchains know it. */
export type Core = 'avr8' | 'cortex-m0plus' | 'cortex-m3' | 'cortex-m4f' | 'xtensa-lx6';

export type Fpu = 'none' | 'single' | 'double';

export type Toolchain = 'gcc-avr' | 'arm-none-eabi-gcc' | 'xtensa-esp32-elf-gcc';

export type UploadMethod =
  | 'avrdude -c arduino'
  | 'bossac'
  | 'esptool'
  | 'picotool|uf2'
  | 'st-link|mass storage'
  | 'qemu'
  | 'simavr';

export interface BoardProfile {
  /** Short id used on the command line and in flows: 'uno', 'qemu-mps2-an385'. */
  id: string;
  name: string;
  /** A few characters for a node's status: 'fits Uno'. */
  shortName: string;
  mcu: string;
  core: Core;
  clockHz: number;
  /** Flash the application may use (the whole chip minus bootloader / reserved areas; see notes). */
  flashBytes: number;
  /** RAM the application may use for globals, heap and stack (see notes for what is already taken). */
  ramBytes: number;
  fpu: Fpu;
  toolchain: Toolchain;
  upload: UploadMethod;
  /** Serial speed our firmware and the uploader use by default. */
  baud: number;
  /** Arduino fully qualified board name, when an Arduino core supports the board. */
  fqbn: string | null;
  /** PlatformIO board id, when PlatformIO knows the board. */
  platformio: string | null;
  /** True for boards that run under an emulator in our tests rather than as hardware. */
  emulated: boolean;
  /** Where flashBytes / ramBytes come from and what they leave out. */
  notes: string;
}

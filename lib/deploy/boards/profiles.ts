// The boards tinyml knows. Figures are the vendors' datasheet numbers, reduced to what an
// application can use where a bootloader or framework reserves part of the chip (each entry's
// notes say how). Arduino's boards.txt upload.maximum_size / maximum_data_size give the same
// budgets the Arduino IDE prints after a build.
import type { BoardProfile } from './profile.js';

const KIB = 1024;
const MIB = 1024 * KIB;

// ATmega328P datasheet (Microchip DS40002061): 32 KB flash, 2 KB SRAM, 1 KB EEPROM, 20 MHz max;
// the Uno runs it at 16 MHz. Optiboot takes the top 0.5 KB of flash (boards.txt: 32256).
const ATMEGA328P_APP_FLASH = 32 * KIB - 512;
const ATMEGA328P_SRAM = 2 * KIB;

export const BOARDS: readonly BoardProfile[] = [
  {
    id: 'uno',
    name: 'Arduino Uno',
    shortName: 'Uno',
    mcu: 'ATmega328P',
    core: 'avr8',
    clockHz: 16_000_000,
    flashBytes: ATMEGA328P_APP_FLASH,
    ramBytes: ATMEGA328P_SRAM,
    fpu: 'none',
    toolchain: 'gcc-avr',
    upload: 'avrdude -c arduino',
    baud: 115_200,
    fqbn: 'arduino:avr:uno',
    platformio: 'uno',
    emulated: false,
    notes: '32 KB flash minus the 0.5 KB Optiboot bootloader; all 2 KB SRAM, shared by globals, the serial buffers and the stack.',
  },
  {
    id: 'nano33ble',
    name: 'Arduino Nano 33 BLE Sense',
    shortName: 'Nano 33 BLE',
    mcu: 'nRF52840',
    core: 'cortex-m4f',
    clockHz: 64_000_000,
    // nRF52840 product specification: 1 MB flash, 256 KB RAM, Cortex-M4F at 64 MHz.
    flashBytes: 1 * MIB - 64 * KIB,
    ramBytes: 256 * KIB,
    fpu: 'single',
    toolchain: 'arm-none-eabi-gcc',
    upload: 'bossac',
    baud: 115_200,
    fqbn: 'arduino:mbed_nano:nano33ble',
    platformio: 'nano33ble',
    emulated: false,
    notes: '1 MB flash minus the 64 KB Arduino bootloader (boards.txt: 983040); 256 KB RAM, of which Mbed OS takes part at run time.',
  },
  {
    id: 'pico',
    name: 'Raspberry Pi Pico',
    shortName: 'Pico',
    mcu: 'RP2040',
    core: 'cortex-m0plus',
    clockHz: 133_000_000,
    // RP2040 datasheet: dual Cortex-M0+ at 133 MHz, 264 KB SRAM in six banks, no internal
    // flash; the Pico carries a 2 MB W25Q16JV QSPI flash.
    flashBytes: 2 * MIB - 256,
    ramBytes: 256 * KIB,
    fpu: 'none',
    toolchain: 'arm-none-eabi-gcc',
    upload: 'picotool|uf2',
    baud: 115_200,
    fqbn: 'rp2040:rp2040:rpipico',
    platformio: 'pico',
    emulated: false,
    notes: '2 MB external QSPI flash minus the 256-byte boot2 stage; the 256 KB striped SRAM (the two 4 KB scratch banks hold the core stacks).',
  },
  {
    id: 'esp32',
    name: 'ESP32 DevKit',
    shortName: 'ESP32',
    mcu: 'ESP32-WROOM-32',
    core: 'xtensa-lx6',
    clockHz: 240_000_000,
    // ESP32 datasheet: dual Xtensa LX6 up to 240 MHz, 520 KB SRAM; the WROOM-32 module has 4 MB flash.
    flashBytes: 1280 * KIB,
    ramBytes: 320 * KIB,
    fpu: 'single',
    toolchain: 'xtensa-esp32-elf-gcc',
    upload: 'esptool',
    baud: 115_200,
    fqbn: 'esp32:esp32:esp32',
    platformio: 'esp32dev',
    emulated: false,
    notes: '4 MB flash, but the default partition table gives the app 1.25 MB (boards.txt: 1310720); of 520 KB SRAM about 320 KB is data RAM for the app (boards.txt: 327680), the rest is IRAM, cache and ROM data.',
  },
  {
    id: 'nucleo-l4r5zi',
    name: 'STM32 Nucleo-L4R5ZI',
    shortName: 'Nucleo-L4R5ZI',
    mcu: 'STM32L4R5ZIT6',
    core: 'cortex-m4f',
    clockHz: 120_000_000,
    // STM32L4R5xx datasheet (DS12023): Cortex-M4F at 120 MHz, 2 MB flash, 640 KB SRAM
    // (SRAM1 192 KB + SRAM2 64 KB + SRAM3 384 KB).
    flashBytes: 2 * MIB,
    ramBytes: 640 * KIB,
    fpu: 'single',
    toolchain: 'arm-none-eabi-gcc',
    upload: 'st-link|mass storage',
    baud: 115_200,
    fqbn: 'STMicroelectronics:stm32:Nucleo_144:pnum=NUCLEO_L4R5ZI',
    platformio: 'nucleo_l4r5zi',
    emulated: false,
    notes: 'No bootloader in flash: the on-board ST-LINK programs all 2 MB; all 640 KB SRAM.',
  },
  {
    id: 'qemu-mps2-an385',
    name: 'QEMU mps2-an385 (Cortex-M3)',
    shortName: 'QEMU AN385',
    mcu: 'ARM MPS2 AN385 (CMSDK Cortex-M3)',
    core: 'cortex-m3',
    clockHz: 25_000_000,
    // QEMU's mps2-an385 machine: 4 MB SSRAM1 at 0x00000000 (code) and 4 MB SSRAM2/3 at
    // 0x20000000 (data); the AN385 FPGA image clocks the CPU at 25 MHz.
    flashBytes: 4 * MIB,
    ramBytes: 4 * MIB,
    fpu: 'none',
    toolchain: 'arm-none-eabi-gcc',
    upload: 'qemu',
    baud: 115_200,
    fqbn: null,
    platformio: null,
    emulated: true,
    notes: 'As QEMU models it: code in the 4 MB SSRAM1, data in 4 MB SSRAM2/3; the UART ignores the baud rate.',
  },
  {
    id: 'simavr-atmega328p',
    name: 'simavr ATmega328P (simulated Uno)',
    shortName: 'simavr Uno',
    mcu: 'ATmega328P',
    core: 'avr8',
    clockHz: 16_000_000,
    flashBytes: ATMEGA328P_APP_FLASH,
    ramBytes: ATMEGA328P_SRAM,
    fpu: 'none',
    toolchain: 'gcc-avr',
    upload: 'simavr',
    baud: 115_200,
    fqbn: null,
    platformio: null,
    emulated: true,
    notes: 'The Uno under simavr at 16 MHz; the Uno\'s budget (bootloader space kept) so a model that fits here fits a real Uno.',
  },
];

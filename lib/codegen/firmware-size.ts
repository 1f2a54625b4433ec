// Where a firmware's flash and RAM go, from the GNU ld map file of a generated project's build:
// the runtime core, the kernels, the model array, and the rest (serial app, board, libgcc).
// Object files are grouped by their path in the project (lib/codegen/firmware-project.ts).

export interface Footprint {
  /** text + data: code, constants and initial values of initialised data. */
  flash: number;
  /** data + bss. */
  ram: number;
}

export type FootprintPart = 'core' | 'kernels' | 'model' | 'app';

export type FootprintBreakdown = Record<FootprintPart, Footprint>;

const FLASH_SECTION = /^\.(text|rodata|progmem|init\d?|fini\d?|vectors|isr_vector|ctors|dtors|jumptables|trampolines|ARM\.ex\w*)\b/;
const DATA_SECTION = /^\.data\b/;
const RAM_SECTION = /^(\.bss\b|\.noinit\b|COMMON$)/;
// An input section: its name, then (on the same or the next line) address, size and the object.
const INPUT_SECTION = /^ (\.[^\s]+|COMMON)\s*\n?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$/gm;

/** Which part of the firmware an object of a generated project belongs to. */
export function partOf(objectPath: string, modelObject: string): FootprintPart {
  const file = objectPath.replace(/\\/g, '/');
  if (file.endsWith(`/${modelObject}`)) return 'model';
  if (file.includes('/runtime/kernels/')) return 'kernels';
  if (file.includes('/runtime/')) return 'core';
  return 'app';
}

/** Flash and RAM per part, from a map file; `modelObject` is e.g. 'src/hello_model.o'. */
export function footprintFromMap(mapText: string, modelObject: string): FootprintBreakdown {
  const start = mapText.indexOf('Linker script and memory map');
  if (start < 0) throw new Error('not a GNU ld map file: no "Linker script and memory map"');
  const parts: FootprintBreakdown = { core: { flash: 0, ram: 0 }, kernels: { flash: 0, ram: 0 }, model: { flash: 0, ram: 0 }, app: { flash: 0, ram: 0 } };
  for (const match of mapText.slice(start).matchAll(INPUT_SECTION)) {
    const [, section, , sizeHex, object] = match;
    const size = parseInt(sizeHex, 16);
    if (size === 0) continue;
    const part = parts[partOf(object, modelObject)];
    if (FLASH_SECTION.test(section)) part.flash += size;
    else if (DATA_SECTION.test(section)) {
      part.flash += size;
      part.ram += size;
    } else if (RAM_SECTION.test(section)) part.ram += size;
  }
  return parts;
}

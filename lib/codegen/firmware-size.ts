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

// Classified by the OUTPUT section the input lands in: on AVR, .rodata goes to .data (RAM).
const FLASH_OUTPUT = /^\.(text|rodata|vectors|isr_vector|ARM\.ex\w*)$/;
const RAM_OUTPUT = /^\.(bss|noinit)$/;
const OUTPUT_SECTION = /^(\.[^\s]+)(\s|$)/;
// An input section: ` .name 0xADDR 0xSIZE object`, the name alone on its line when it is long.
const INPUT_NAME = /^ (\.[^\s]+|COMMON)\s*$/;
const INPUT_SECTION = /^ (?:\.[^\s]+|COMMON)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+\.(?:o|a\(.*\)|obj))$/;

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
  let output = '';
  let named = false;
  for (const line of mapText.slice(start).split('\n')) {
    const outputMatch = OUTPUT_SECTION.exec(line);
    if (outputMatch) {
      output = outputMatch[1];
      continue;
    }
    if (INPUT_NAME.test(line)) {
      named = true;
      continue;
    }
    const input = INPUT_SECTION.exec(line);
    // A bare address line that follows no section name is a symbol or fill, not an input section.
    if (!input || (!named && /^\s+0x/.test(line))) {
      named = false;
      continue;
    }
    named = false;
    const size = parseInt(input[2], 16);
    const part = parts[partOf(input[3], modelObject)];
    if (FLASH_OUTPUT.test(output)) part.flash += size;
    else if (output === '.data') {
      part.flash += size;
      part.ram += size;
    } else if (RAM_OUTPUT.test(output)) part.ram += size;
  }
  return parts;
}

// Bytes -> C source: either exactly what `xxd -i` prints, or a firmware-ready pair of files
// (an aligned const array and its header). fromCArray, in c-array-parse.ts, reads both back.
import { crc32 } from './crc32.js';

export { CArrayError } from './c-array-error.js';
export { fromCArray, type FromCArrayOptions } from './c-array-parse.js';

export interface CArrayOptions {
  /** The C symbol; default: derived from fileName as xxd does, else 'model_tflite'. */
  name?: string;
  /** The model's file name; only its base name (after the last '/' or '\') is used. */
  fileName?: string;
  /** Output byte-identical to `xxd -i BASENAME` (Debian's xxd 2022-01-14); no header. */
  xxd?: boolean;
  /** Alignment of the array in bytes, a power of two (default 16: TFLM reads the model in place); 1 writes none. Not used with xxd. */
  alignment?: number;
  /** Default `${name}.h`: the #include in the source and the include guard. Not used with xxd. */
  headerFileName?: string;
  /**
   * Replaces `const` in the declarations, e.g. 'TM_CONST' (firmware/runtime/tm_platform.h: `const`,
   * plus PROGMEM on AVR so the model stays in flash). Not used with xxd.
   */
  qualifier?: string;
  /** Headers #included (as "...") before the declarations in both files, e.g. ['tm_platform.h']. Not used with xxd. */
  includes?: string[];
}

export interface CArrayResult {
  name: string;
  source: string;
  /** Null in xxd mode. */
  header: string | null;
  /** `${name}.c`, or `${name}.h` in xxd mode (as in `xxd -i model.tflite > model.h`). */
  sourceFileName: string;
  headerFileName: string | null;
}

const DEFAULT_NAME = 'model_tflite';
const DEFAULT_ALIGNMENT = 16;
const BYTES_PER_LINE = 12;
const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');
const [COMMA, NEWLINE, SPACE, ZERO, LOWER_X] = new TextEncoder().encode(',\n 0x');
const ASCII = new TextDecoder('latin1');
const GENERATOR = 'node-red-contrib-tinyml';

/**
 * xxd's symbol for a file name: each byte of its UTF-8 form that is not an ASCII letter or
 * digit becomes '_' (so 'é' gives '__'), and '__' goes in front of a leading digit. Like
 * `xxd -i NAME`, it mangles the whole string: pass a base name to get what xxd prints when
 * run in the file's folder.
 */
export function cSymbolName(fileName: string): string {
  const utf8 = new TextEncoder().encode(fileName);
  let symbol = utf8.length > 0 && isDigit(utf8[0]) ? '__' : '';
  for (const byte of utf8) symbol += isDigit(byte) || isLetter(byte) ? String.fromCharCode(byte) : '_';
  return symbol;
}

/**
 * `bytes` as C. With `xxd: true`: exactly what `xxd -i BASENAME` prints in the file's folder.
 * Otherwise a source file (`TINYML_ALIGNAS(16) const unsigned char NAME[]` and `NAME_len`,
 * compiling as C99, C11 and C++11) and its header (include guard, extern "C" declarations).
 * The output depends only on the arguments. Throws RangeError for a name that is not a C
 * identifier, an alignment that is not a power of two, an unusable header name, or (outside
 * xxd mode, since C has no empty arrays) no bytes.
 */
export function toCArray(bytes: Uint8Array, options: CArrayOptions = {}): CArrayResult {
  const baseName = options.fileName === undefined ? '' : baseNameOf(options.fileName);
  const name = options.name ?? (baseName ? cSymbolName(baseName) : DEFAULT_NAME);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new RangeError(`'${name}' is not a C identifier: expected letters, digits and '_', not starting with a digit`);
  }
  const values = valueLines(bytes);
  if (options.xxd) {
    const source = `unsigned char ${name}[] = {\n${values}};\nunsigned int ${name}_len = ${bytes.length};\n`;
    return { name, source, header: null, sourceFileName: `${name}.h`, headerFileName: null };
  }
  if (bytes.length === 0) throw new RangeError('no bytes: C has no empty arrays, so an empty model cannot be written as one');
  const alignment = options.alignment ?? DEFAULT_ALIGNMENT;
  if (!Number.isInteger(alignment) || alignment < 1 || alignment > 1 << 16 || (alignment & (alignment - 1)) !== 0) {
    throw new RangeError(`alignment ${alignment} is not a power of two between 1 and 65536`);
  }
  const headerFileName = options.headerFileName ?? `${name}.h`;
  if (headerFileName === '' || /["\\\u0000-\u001f\u007f]/.test(headerFileName)) {
    throw new RangeError(
      `header file name ${JSON.stringify(headerFileName)} cannot go in an #include "...": it is empty or holds a quote, a backslash or a control character`,
    );
  }
  const qualifier = options.qualifier ?? 'const';
  if (!/^[A-Za-z_][A-Za-z0-9_ ]*$/.test(qualifier)) throw new RangeError(`qualifier '${qualifier}' is not a C type qualifier or macro name`);
  const includes = options.includes ?? [];
  for (const include of includes) {
    if (include === '' || /["\\\u0000-\u001f\u007f]/.test(include)) throw new RangeError(`include ${JSON.stringify(include)} cannot go in an #include "..."`);
  }
  const declaration = { qualifier, includes };
  const crc = crc32(bytes).toString(16).padStart(8, '0');
  const description = `${baseName ? commentSafe(baseName) : 'Model data'} as a C array: ${bytes.length} bytes, CRC-32 0x${crc}.`;
  return {
    name,
    source: sourceText(name, values, bytes.length, alignment, headerFileName, description, declaration),
    header: headerText(name, bytes.length, alignment, headerFileName, description, declaration),
    sourceFileName: `${name}.c`,
    headerFileName,
  };
}

// Lines of 12 values as xxd writes them, filled into one ASCII buffer from a table of hex
// digits and decoded once: a 372 KB model takes milliseconds.
function valueLines(bytes: Uint8Array): string {
  if (bytes.length === 0) return '';
  const lineCount = Math.ceil(bytes.length / BYTES_PER_LINE);
  // Per value "0xNN" and a separator of two characters (", ", ",\n" or the line's indent).
  const out = new Uint8Array(bytes.length * 6 + lineCount * 2);
  let at = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (i % BYTES_PER_LINE === 0) {
      if (i > 0) {
        out[at++] = COMMA;
        out[at++] = NEWLINE;
      }
      out[at++] = SPACE;
      out[at++] = SPACE;
    } else {
      out[at++] = COMMA;
      out[at++] = SPACE;
    }
    out[at++] = ZERO;
    out[at++] = LOWER_X;
    out[at++] = HEX_DIGITS[bytes[i] >> 4];
    out[at++] = HEX_DIGITS[bytes[i] & 15];
  }
  out[at++] = NEWLINE;
  return ASCII.decode(out.subarray(0, at));
}

interface Declaration { qualifier: string; includes: string[] }

const includeLines = (includes: string[]): string[] => includes.map((h) => `#include "${h}"`);

function sourceText(name: string, values: string, length: number, alignment: number, headerFileName: string, description: string, declaration: Declaration): string {
  const aligned = alignment > 1;
  const lines = [
    '/*',
    ` * ${description}`,
    ` * Generated by ${GENERATOR}; regenerate it rather than edit it.`,
    ...(aligned ? [` * Aligned to ${alignment} bytes: TensorFlow Lite Micro reads the model in place.`] : []),
    ' */',
    ...includeLines(declaration.includes),
    `#include "${headerFileName}"`,
    '',
    ...(aligned ? alignasMacro() : []),
    `${aligned ? `TINYML_ALIGNAS(${alignment}) ` : ''}${declaration.qualifier} unsigned char ${name}[] = {`,
  ];
  return `${lines.join('\n')}\n${values}};\nconst unsigned int ${name}_len = ${length};\n`;
}

// One spelling that works as C99 (GNU attribute), C11 (_Alignas), C++11 (alignas) and MSVC.
function alignasMacro(): string[] {
  return [
    '#ifndef TINYML_ALIGNAS',
    '#if defined(__cplusplus) && __cplusplus >= 201103L',
    '#define TINYML_ALIGNAS(n) alignas(n)',
    '#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L',
    '#define TINYML_ALIGNAS(n) _Alignas(n)',
    '#elif defined(__GNUC__)',
    '#define TINYML_ALIGNAS(n) __attribute__((aligned(n)))',
    '#elif defined(_MSC_VER)',
    '#define TINYML_ALIGNAS(n) __declspec(align(n))',
    '#else',
    '#error "define TINYML_ALIGNAS(n) to align a variable to n bytes with this compiler"',
    '#endif',
    '#endif',
    '',
  ];
}

function headerText(name: string, length: number, alignment: number, headerFileName: string, description: string, declaration: Declaration): string {
  const guard = includeGuardOf(headerFileName);
  return [
    '/*',
    ` * ${description}`,
    ` * Generated by ${GENERATOR}; regenerate it rather than edit it.`,
    ' */',
    `#ifndef ${guard}`,
    `#define ${guard}`,
    '',
    ...(declaration.includes.length > 0 ? [...includeLines(declaration.includes), ''] : []),
    '#ifdef __cplusplus',
    'extern "C" {',
    '#endif',
    '',
    ...(alignment > 1 ? [`/* Defined aligned to ${alignment} bytes. */`] : []),
    `extern ${declaration.qualifier} unsigned char ${name}[${length}];`,
    `extern const unsigned int ${name}_len;`,
    '',
    '#ifdef __cplusplus',
    '}',
    '#endif',
    '',
    `#endif /* ${guard} */`,
    '',
  ].join('\n');
}

function includeGuardOf(headerFileName: string): string {
  const guard = `${headerFileName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
  // Names starting with '_' and a capital are the implementation's; a digit cannot start one.
  return /^[A-Z]/.test(guard) ? guard : `TINYML_${guard}`;
}

function baseNameOf(fileName: string): string {
  return fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
}

// A file name inside /* */: no control characters, and no '*/' to end the comment early.
function commentSafe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, '?').replace(/\*\//g, '*\\/');
}

function isDigit(byte: number): boolean {
  return byte >= 48 && byte <= 57;
}

function isLetter(byte: number): boolean {
  return (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122);
}

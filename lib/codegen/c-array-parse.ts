// C source -> bytes. Reads what xxd -i writes, what toCArray writes, and the arrays people write
// by hand (TFLM's model.cc files, Arduino sketches with PROGMEM). The text must hold only
// declarations: preprocessor lines are stepped over, not evaluated, and a function body is an error.
import { positionOf } from './c-array-error.js';
import { CScanner, characterLiteralValue, integerLiteralValue } from './c-array-scan.js';

export interface FromCArrayOptions {
  /** The array to read when the text holds several; default: the first array of bytes. */
  name?: string;
}

/** Element types that hold one byte, and whether they take negative values. */
const BYTE_TYPES: ReadonlyMap<string, 'signed' | 'unsigned'> = new Map([
  ['uint8_t', 'unsigned'], ['u8', 'unsigned'], ['uint8', 'unsigned'], ['byte', 'unsigned'],
  ['BYTE', 'unsigned'], ['char8_t', 'unsigned'], ['uint_least8_t', 'unsigned'],
  ['int8_t', 'signed'], ['s8', 'signed'], ['int8', 'signed'], ['int_least8_t', 'signed'],
]);

/** Type words that make a declaration something other than bytes, whatever else it says. */
const WIDER_TYPES = new Set([
  'int', 'short', 'long', 'float', 'double', 'bool', '_Bool', 'void', 'wchar_t', 'char16_t', 'char32_t',
  'size_t', 'uint16_t', 'int16_t', 'uint32_t', 'int32_t', 'uint64_t', 'int64_t', 'uintptr_t', 'intptr_t',
  'struct', 'union', 'enum',
]);

/** Words that say how a declaration is stored, not what it holds (left out of messages). */
const STORAGE_WORDS = new Set(['const', 'static', 'volatile', 'extern', 'constexpr', 'register', 'inline', 'thread_local', '_Thread_local']);

interface Specifier {
  word: string;
  /** It was followed by a parenthesized group: alignas(16), __attribute__((...)), MACRO(x), or a function's parameters. */
  called: boolean;
}

interface ArrayDefinition {
  name: string;
  /** Null when the elements are not bytes (an int or float table sharing the file) or it has no values. */
  bytes: Uint8Array | null;
  elementType: string;
  /** Declared without values, as a header's `extern const unsigned char model[];`. */
  declaredOnly: boolean;
}

interface ScalarDefinition {
  name: string;
  value: number;
  valueOffset: number;
}

/**
 * The bytes of a C array. Values may be hex (0x1c, 0X1C), decimal, octal (a leading 0, as in C:
 * 010 is 8), binary (0b...), character constants ('A', '\n', '\x1c'), with u/l suffixes.
 * Negative values (down to -128) are accepted for char, signed char and int8_t and stored as
 * two's complement; unsigned element types take 0..255 only. A declared size larger than the
 * values zero-fills as C does. A `NAME_len` integer declared in the text must equal the byte count.
 * A text that is only a list of values (what `xxd -i < file` prints) is read as one array.
 * Throws CArrayError with the line and column of the first problem.
 */
export function fromCArray(text: string, options: FromCArrayOptions = {}): Uint8Array {
  const parser = new Parser(text);
  parser.parseText();
  const chosen = choose(parser, options.name);
  checkLength(parser, chosen);
  return chosen.bytes;
}

function choose(parser: Parser, name: string | undefined): ArrayDefinition & { bytes: Uint8Array } {
  const arrays = parser.arrays;
  const end = parser.scanner.text.length;
  if (name !== undefined) {
    const named = arrays.find((a) => a.name === name);
    if (!named) {
      const known = arrays.filter((a) => a.name !== '').map((a) => a.name);
      const found = known.length ? `arrays found: ${known.join(', ')}` : 'no arrays found';
      throw parser.scanner.fail(`no array named '${name}' before the end of the text (${found})`, end);
    }
    if (!named.bytes) {
      const what = named.declaredOnly ? 'only declared here, without values' : `an array of ${named.elementType}`;
      throw parser.scanner.fail(
        `'${name}' is ${what}: expected an array of bytes (unsigned char, uint8_t, char, signed char, int8_t) with its values`,
        end,
      );
    }
    return { ...named, bytes: named.bytes };
  }
  const first = arrays.find((a) => a.bytes !== null);
  if (first?.bytes) return { ...first, bytes: first.bytes };
  const others = arrays.map((a) => `${a.name} (${a.declaredOnly ? 'declared without values' : a.elementType})`);
  throw parser.scanner.fail(
    `expected an array of bytes such as 'unsigned char model[] = { 0x1c, ... };' before the end of the text` +
      (others.length ? `; found only ${others.join(', ')}` : ''),
    end,
  );
}

function checkLength(parser: Parser, chosen: ArrayDefinition & { bytes: Uint8Array }): void {
  if (chosen.name === '') return;
  const length = parser.scalars.find((s) => s.name === `${chosen.name}_len` || s.name === `${chosen.name}_LEN`);
  if (length && length.value !== chosen.bytes.length) {
    throw parser.scanner.fail(`${length.name} is ${length.value} but ${chosen.name} holds ${chosen.bytes.length} bytes`, length.valueOffset);
  }
}

class Parser {
  readonly scanner: CScanner;
  readonly arrays: ArrayDefinition[] = [];
  readonly scalars: ScalarDefinition[] = [];

  constructor(text: string) {
    this.scanner = new CScanner(text);
  }

  parseText(): void {
    const s = this.scanner;
    if (s.kind() === 'number' || s.kind() === 'character' || s.is('-') || s.is('+')) {
      this.parseBareList();
      return;
    }
    this.parseDeclarations(null);
  }

  private parseBareList(): void {
    const s = this.scanner;
    const bytes = new ByteSink(s.text.length / 5);
    for (;;) {
      bytes.push(this.parseByteValue('signed', 'bytes'));
      if (s.kind() === 'end') break;
      if (!s.is(',')) throw s.fail(`expected ',' or the end of the text after a value, found ${s.describe()}`);
      s.advance();
      if (s.kind() === 'end') break;
    }
    this.arrays.push({ name: '', bytes: bytes.toBytes(), elementType: 'unsigned char', declaredOnly: false });
  }

  /** Declarations up to the end of the text, or up to the '}' closing the block opened at `open`. */
  private parseDeclarations(open: number | null): void {
    const s = this.scanner;
    for (;;) {
      if (s.kind() === 'end') {
        if (open === null) return;
        throw s.fail("unterminated block: expected '}' to close this '{' before the end of the text", open);
      }
      if (s.is('}')) {
        if (open === null) throw s.fail("unexpected '}': no block is open here");
        s.advance();
        return;
      }
      if (s.is(';')) s.advance();
      else this.parseDeclaration();
    }
  }

  private parseDeclaration(): void {
    const s = this.scanner;
    const specifiers: Specifier[] = [];
    let pointer = false;
    for (;;) {
      if (s.kind() === 'identifier') {
        const word = this.parseQualifiedName();
        if (word.word === 'extern' && s.kind() === 'string') {
          s.advance();
          if (s.is('{')) return this.parseBlock();
          continue;
        }
        if (word.word === 'namespace') {
          if (s.kind() === 'identifier') s.advance();
          if (!s.is('{')) throw s.fail(`expected '{' after namespace, found ${s.describe()}`);
          return this.parseBlock();
        }
        if (s.is('(')) {
          this.skipBalanced();
          word.called = true;
        }
        specifiers.push(word);
      } else if (s.is('*') || s.is('&')) {
        pointer = true;
        s.advance();
      } else {
        break;
      }
    }
    const nameSpecifier = specifiers.pop();
    if (!nameSpecifier) {
      throw s.fail(`expected a declaration such as 'unsigned char model[] = { 0x1c, ... };', found ${s.describe()}`);
    }
    if (!s.is('[') && !s.is('=') && !s.is(';') && !s.is(',') && !s.is('{')) {
      throw s.fail(`expected '[', '=' or ';' after '${nameSpecifier.word}', found ${s.describe()}`);
    }
    const words = specifiers.filter((w) => !w.called).map((w) => w.word.slice(w.word.lastIndexOf(':') + 1));
    const elementType = pointer ? null : byteTypeOf(words);
    const typeWords = words.filter((w) => !STORAGE_WORDS.has(w));
    const typeName = pointer ? 'pointers' : elementType ?? (typeWords.length ? typeWords.join(' ') : 'an unknown type');
    this.parseDeclarator(nameSpecifier, elementType, typeName);
    while (s.is(',')) {
      s.advance();
      while (s.is('*') || s.is('&')) s.advance();
      if (s.kind() !== 'identifier') throw s.fail(`expected a name after ',', found ${s.describe()}`);
      const next = { word: s.value, called: false };
      s.advance();
      if (s.is('(')) {
        this.skipBalanced();
        next.called = true;
      }
      this.parseDeclarator(next, elementType, typeName);
    }
    if (!s.is(';')) throw s.fail(`expected ';' after the declaration of '${nameSpecifier.word}', found ${s.describe()}`);
    s.advance();
  }

  private parseBlock(): void {
    const open = this.scanner.start;
    this.scanner.advance();
    this.parseDeclarations(open);
  }

  private parseQualifiedName(): Specifier {
    const s = this.scanner;
    let word = s.value;
    s.advance();
    while (s.is('::')) {
      s.advance();
      if (s.kind() !== 'identifier') throw s.fail(`expected a name after '::', found ${s.describe()}`);
      word += `::${s.value}`;
      s.advance();
    }
    return { word, called: false };
  }

  /** What follows a declared name: array dimensions, attributes, an initializer. */
  private parseDeclarator(name: Specifier, elementType: string | null, typeName: string): void {
    const s = this.scanner;
    if (name.called) {
      if (s.is('{')) throw s.fail(`a function body is not expected here: only declarations and arrays (found '${name.word}(...) {')`);
      if (s.is('=')) throw s.fail(`expected ';' after the function declaration '${name.word}(...)', found '='`);
      return;
    }
    const dimensions: Array<number | null> = [];
    let secondDimension = -1;
    while (s.is('[')) {
      if (dimensions.length === 1) secondDimension = s.start;
      dimensions.push(this.parseDimension());
    }
    while (s.kind() === 'identifier') {
      // Attributes after the name: PROGMEM, DATA_ALIGN_ATTRIBUTE, __attribute__((aligned(16))).
      s.advance();
      if (s.is('(')) this.skipBalanced();
    }
    if (dimensions.length === 0) {
      this.parseScalar(name.word);
      return;
    }
    if (!elementType || !s.is('=')) {
      const declaredOnly = !s.is('=');
      if (!declaredOnly) {
        s.advance();
        this.skipInitializer();
      }
      this.arrays.push({ name: name.word, bytes: null, elementType: typeName, declaredOnly });
      return;
    }
    if (secondDimension >= 0) throw s.fail(`'${name.word}' has more than one dimension: expected a one-dimensional array of bytes`, secondDimension);
    s.advance();
    const bytes = this.parseByteInitializer(name.word, elementType, dimensions[0]);
    this.arrays.push({ name: name.word, bytes, elementType, declaredOnly: false });
  }

  private parseDimension(): number | null {
    const s = this.scanner;
    s.advance();
    if (s.is(']')) {
      s.advance();
      return null;
    }
    let size: number | null = null;
    if (s.kind() === 'number') {
      size = integerLiteralValue(s.text, s.start, s.end);
      if (size > MAX_ARRAY_BYTES) throw s.fail(`array size ${s.value} is larger than the ${MAX_ARRAY_BYTES} bytes fromCArray reads`);
      s.advance();
    }
    if (!s.is(']')) {
      // A size given by an expression or a macro: C would know it, we take the values' count.
      size = null;
      this.skipExpression([']']);
    }
    if (!s.is(']')) throw s.fail(`expected ']' to close the array size, found ${s.describe()}`);
    s.advance();
    return Number.isNaN(size) ? null : size;
  }

  private parseScalar(name: string): void {
    const s = this.scanner;
    if (!s.is('=')) return;
    s.advance();
    const valueOffset = s.start;
    let sign = 1;
    if (s.is('-') || s.is('+')) {
      sign = s.is('-') ? -1 : 1;
      s.advance();
    }
    if (s.kind() === 'number') {
      const value = integerLiteralValue(s.text, s.start, s.end);
      s.advance();
      if ((s.is(';') || s.is(',')) && !Number.isNaN(value)) {
        this.scalars.push({ name, value: sign * value, valueOffset });
        return;
      }
    }
    this.skipInitializer();
  }

  private parseByteInitializer(name: string, elementType: string, declaredSize: number | null): Uint8Array {
    const s = this.scanner;
    if (!s.is('{')) {
      const hint = s.kind() === 'string' ? ' (string initializers are not supported)' : '';
      throw s.fail(`expected '{' to open the values of '${name}', found ${s.describe()}${hint}`);
    }
    const open = s.start;
    s.advance();
    const sign = BYTE_TYPES.get(elementType) ?? (elementType === 'unsigned char' ? 'unsigned' : 'signed');
    const bytes = new ByteSink(Math.min(declaredSize ?? 4096, 1 << 20));
    for (;;) {
      if (s.is('}')) break;
      if (s.kind() === 'end') throw s.fail(`unterminated values of '${name}': expected '}' to close this '{' before the end of the text`, open);
      if (declaredSize !== null && bytes.length === declaredSize) {
        throw s.fail(`too many values: '${name}' is declared with ${declaredSize} bytes`);
      }
      bytes.push(this.parseByteValue(sign, elementType));
      if (s.is(',')) s.advance();
      else if (s.kind() === 'end') throw s.fail(`unterminated values of '${name}': expected '}' to close this '{' before the end of the text`, open);
      else if (!s.is('}')) throw s.fail(`expected ',' or '}' after a value, found ${s.describe()}`);
    }
    s.advance();
    return bytes.toBytes(declaredSize ?? bytes.length);
  }

  private parseByteValue(sign: 'signed' | 'unsigned', elementType: string): number {
    const s = this.scanner;
    const valueOffset = s.start;
    let negative = false;
    if (s.is('-') || s.is('+')) {
      negative = s.is('-');
      s.advance();
    }
    let value: number;
    if (s.kind() === 'number') {
      value = integerLiteralValue(s.text, s.start, s.end);
      if (Number.isNaN(value)) {
        throw s.fail(`${s.describe()} is not an integer: expected hex (0x1c), decimal (28) or octal (034)`);
      }
    } else if (s.kind() === 'character') {
      value = characterLiteralValue(s.text, s.start, s.end);
      if (Number.isNaN(value)) throw s.fail(`${s.describe()} is not a one-byte character constant`);
    } else if (s.is('{')) {
      throw s.fail("unexpected '{': nested braces are not supported, expected a value");
    } else {
      throw s.fail(`expected a value such as 0x1c, found ${s.describe()}`);
    }
    const literal = s.text.slice(valueOffset, s.end);
    s.advance();
    if (negative) value = -value;
    if (value > 255) throw s.fail(`value ${literal} does not fit in a byte: expected 0..255`, valueOffset);
    if (value < 0 && sign === 'unsigned') {
      throw s.fail(`negative value ${value} in an array of ${elementType}: expected 0..255 (use signed char or int8_t for -128..127)`, valueOffset);
    }
    if (value < -128) throw s.fail(`value ${value} does not fit in a signed byte: expected -128..127`, valueOffset);
    return value & 0xff;
  }

  /** An initializer we do not read (a scalar expression, a table of ints): up to ',' or ';'. */
  private skipInitializer(): void {
    this.skipExpression([',', ';']);
  }

  /** Skips tokens up to one of `stops` outside brackets, checking that brackets pair up. */
  private skipExpression(stops: string[]): void {
    const s = this.scanner;
    const open: Array<{ closer: string; offset: number }> = [];
    for (;;) {
      if (s.kind() === 'end') {
        const last = open.at(-1);
        if (!last) return;
        throw s.fail(`unterminated '${OPENERS[last.closer]}': expected '${last.closer}' before the end of the text`, last.offset);
      }
      if (open.length === 0 && stops.some((stop) => s.is(stop))) return;
      const closer = s.is('(') ? ')' : s.is('[') ? ']' : s.is('{') ? '}' : null;
      if (closer) {
        open.push({ closer, offset: s.start });
      } else if (s.is(')') || s.is(']') || s.is('}')) {
        const last = open.pop();
        if (!last) {
          if (s.is('}')) return; // closes an enclosing extern "C" or namespace block
          throw s.fail(`unexpected ${s.describe()}: nothing is open here`);
        }
        if (!s.is(last.closer)) {
          const at = positionOf(s.text, last.offset);
          const opener = `'${OPENERS[last.closer]}' at line ${at.line}, column ${at.column}`;
          throw s.fail(`expected '${last.closer}' to close the ${opener}, found ${s.describe()}`);
        }
      }
      s.advance();
    }
  }

  /** Steps over a parenthesized group starting at the current '('. */
  private skipBalanced(): void {
    const s = this.scanner;
    const open = s.start;
    let depth = 0;
    do {
      if (s.kind() === 'end') throw s.fail("unterminated '(': expected ')' before the end of the text", open);
      if (s.is('(')) depth++;
      else if (s.is(')')) depth--;
      s.advance();
    } while (depth > 0);
  }
}

/** Larger declared sizes are refused rather than allocated: no model comes near it. */
const MAX_ARRAY_BYTES = 1 << 28;

const OPENERS: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

function byteTypeOf(words: string[]): string | null {
  if (words.some((w) => WIDER_TYPES.has(w))) return null;
  if (words.includes('char')) {
    if (words.includes('unsigned')) return 'unsigned char';
    return words.includes('signed') ? 'signed char' : 'char';
  }
  return words.find((w) => BYTE_TYPES.has(w)) ?? null;
}

/** A growing byte buffer: one allocation per doubling instead of a number per byte. */
class ByteSink {
  private buffer: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.buffer = new Uint8Array(Math.max(16, Math.ceil(capacity)));
  }

  push(byte: number): void {
    if (this.length === this.buffer.length) {
      const grown = new Uint8Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.length++] = byte;
  }

  /** The bytes pushed, zero-filled up to `length` as C fills a larger declared size. */
  toBytes(length: number = this.length): Uint8Array {
    if (length <= this.buffer.length) return this.buffer.slice(0, length).fill(0, this.length);
    const bytes = new Uint8Array(length);
    bytes.set(this.buffer.subarray(0, this.length));
    return bytes;
  }
}

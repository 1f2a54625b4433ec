import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CArrayError, fromCArray, toCArray } from '../../lib/codegen/c-array.js';
import { SHARED } from '../support/paths.js';
import { assertSameBytes } from './tools.js';

const SMALL_MODEL = path.join(SHARED, 'models/tflm/examples/hello_world/models/hello_world_int8.tflite');
const LARGE_MODEL = path.join(SHARED, 'models/tflm/examples/dtln/dtln_noise_suppression.tflite');

function bytesOf(text: string, name?: string): number[] {
  return Array.from(fromCArray(text, name === undefined ? {} : { name }));
}

/** Asserts fromCArray throws a CArrayError at line:column whose message matches `message`. */
function assertErrorAt(text: string, line: number, column: number, message: RegExp, name?: string): void {
  assert.throws(
    () => fromCArray(text, name === undefined ? {} : { name }),
    (error: unknown) => {
      assert.ok(error instanceof CArrayError, `expected a CArrayError, got ${String(error)}`);
      assert.equal(`${error.line}:${error.column}`, `${line}:${column}`, error.message);
      assert.match(error.message, message);
      assert.match(error.message, new RegExp(`^line ${line}, column ${column}: `));
      return true;
    },
  );
}

describe('fromCArray reads real xxd variants', function () {
  const bytes = fs.readFileSync(SMALL_MODEL);
  const xxd = (args: string[]): string => execFileSync('xxd', args, { input: bytes, maxBuffer: 64 << 20 }).toString('latin1');

  it('reads `xxd -i < file` (values only, no declaration)', function () {
    assertSameBytes(fromCArray(xxd(['-i'])), bytes, 'xxd -i < file');
  });
  it('reads `xxd -i -u` (0X.. upper case)', function () {
    const text = execFileSync('xxd', ['-i', '-u', path.basename(SMALL_MODEL)], { cwd: path.dirname(SMALL_MODEL) }).toString('latin1');
    assert.match(text, /0X1C|0X[0-9A-F]{2}/);
    assertSameBytes(fromCArray(text), bytes, 'xxd -i -u');
  });
  it('reads `xxd -i -C` (capitalized names) and checks its _LEN', function () {
    const text = execFileSync('xxd', ['-i', '-C', path.basename(SMALL_MODEL)], { cwd: path.dirname(SMALL_MODEL) }).toString('latin1');
    assert.match(text, /HELLO_WORLD_INT8_TFLITE_LEN = /);
    assertSameBytes(fromCArray(text, { name: 'HELLO_WORLD_INT8_TFLITE' }), bytes, 'xxd -i -C');
    const wrong = text.replace(/_LEN = \d+/, '_LEN = 7');
    assert.throws(() => fromCArray(wrong), /HELLO_WORLD_INT8_TFLITE_LEN is 7 but HELLO_WORLD_INT8_TFLITE holds \d+ bytes/);
  });
  it('reads `xxd -i -c 16` (16 values a line)', function () {
    assertSameBytes(fromCArray(xxd(['-i', '-c', '16'])), bytes, 'xxd -i -c 16');
  });
  it(`reads a ${Math.round(fs.statSync(LARGE_MODEL).size / 1024)} KB model's xxd text in under a second`, function () {
    const large = fs.readFileSync(LARGE_MODEL);
    const text = toCArray(large, { xxd: true }).source;
    const started = process.hrtime.bigint();
    const parsed = fromCArray(text);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assertSameBytes(parsed, large, 'fromCArray');
    assert.ok(ms < 1000, `fromCArray took ${ms.toFixed(0)} ms`);
  });
});

describe('fromCArray reads hand-written arrays', function () {
  it('TFLM style: alignas, an attribute macro after the name, comments, a trailing comma, const int _len', function () {
    const text = [
      '// Automatically generated; do not edit.',
      '#include "tensorflow/lite/micro/examples/hello_world/models/hello_world_int8_model_data.h"',
      '#include <cstdint>',
      '',
      'alignas(16) const unsigned char g_model[] DATA_ALIGN_ATTRIBUTE = {',
      '    0x1c, 0x00, 0x00, 0x00,  // root offset',
      '    0x54, 0x46, 0x4c, 0x33,  /* "TFL3" */',
      '};',
      'const int g_model_len = 8;',
    ].join('\n');
    assert.deepEqual(bytesOf(text), [0x1c, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33]);
  });

  it('decimal, octal (a leading 0 as in C), binary, character constants and suffixes', function () {
    const text = "static const uint8_t v[] = { 0, 10, 010, 0x10, 0b101, 'A', '\\n', '\\x7f', '\\0', '\\'', 255u, 0xFFUL, 0377 };";
    assert.deepEqual(bytesOf(text), [0, 10, 8, 16, 5, 65, 10, 127, 0, 39, 255, 255, 255]);
  });

  it('negative values in signed char, int8_t and char arrays as two\'s complement', function () {
    assert.deepEqual(bytesOf('const signed char s[] = { -1, -128, 127, 0x80, +3 };'), [255, 128, 127, 128, 3]);
    assert.deepEqual(bytesOf('const int8_t t[] = { -2, - 0x7f };'), [254, 129]);
    assert.deepEqual(bytesOf('char c[] = { -5 };'), [251]);
  });

  it('several arrays: the first array of bytes, or one by name; a declared size zero-fills', function () {
    const text = [
      'const float scale[] = { 0.5f, 1e-3, 2.5e+2 };',
      'const unsigned char first[] = { 1, 2 };',
      'const short table[2][2] = { { 1, 2 }, { 3, 4 } };',
      'const unsigned char second[4] = { 3 };',
      'unsigned int second_len = 4;',
      'const unsigned char *pointer = first;',
      'const char *labels[] = { "yes", "no" };',
    ].join('\n');
    assert.deepEqual(bytesOf(text), [1, 2]);
    assert.deepEqual(bytesOf(text, 'second'), [3, 0, 0, 0]);
    assert.throws(() => fromCArray(text, { name: 'scale' }), /'scale' is an array of float: expected an array of bytes/);
    assert.throws(() => fromCArray(text, { name: 'labels' }), /'labels' is an array of pointers/);
    assert.throws(() => fromCArray(text, { name: 'nope' }), /no array named 'nope'.*arrays found: scale, first, table, second, labels/);
  });

  it('attributes, PROGMEM, std::uint8_t, extern "C" and namespace blocks, preprocessor lines with continuations', function () {
    const text = [
      '#ifdef __cplusplus',
      'extern "C" {',
      '#endif',
      '#define MODEL_SECTION \\',
      '  ".rodata.model"',
      'namespace models {',
      'static const std::uint8_t kws[] __attribute__((aligned(16), section(".rodata.model"))) PROGMEM = { 0xAB, 0XCD };',
      '}  // namespace models',
      '#ifdef __cplusplus',
      '}',
      '#endif',
    ].join('\n');
    assert.deepEqual(bytesOf(text), [0xab, 0xcd]);
  });

  it('CRLF line ends, tabs and an empty array', function () {
    assert.deepEqual(bytesOf('unsigned char a[] = {\r\n\t0x01,\r\n\t0x02\r\n};\r\nunsigned int a_len = 2;\r\n'), [1, 2]);
    assert.deepEqual(bytesOf('unsigned char e[] = {};\nunsigned int e_len = 0;'), []);
  });

  it('does not check a _len given by an expression', function () {
    assert.deepEqual(bytesOf('unsigned char a[] = { 1, 2 };\nconst unsigned int a_len = sizeof(a) + 0;'), [1, 2]);
  });

  it('reads its own default-mode output, not the header', function () {
    const result = toCArray(Uint8Array.of(9, 8, 7), { fileName: 'm.tflite' });
    assert.deepEqual(bytesOf(result.source), [9, 8, 7]);
    assert.throws(() => fromCArray(result.header ?? ''), /found only m_tflite \(declared without values\)/);
  });
});

describe('fromCArray errors say what and where', function () {
  it('a value over 255', function () {
    assertErrorAt('unsigned char a[] = {\n  0x01, 0x100,\n};', 2, 9, /value 0x100 does not fit in a byte: expected 0\.\.255/);
  });
  it('a missing comma', function () {
    assertErrorAt('unsigned char a[] = { 0x01 0x02 };', 1, 28, /expected ',' or '}' after a value, found '0x02'/);
  });
  it('an unterminated comment, at its opening', function () {
    assertErrorAt('unsigned char a[] = { 1, 2 };\n/* trailing', 2, 1, /unterminated comment: expected '\*\/'/);
  });
  it('an unterminated brace, at the brace', function () {
    assertErrorAt('unsigned char a[] = {\n  1, 2,\n', 1, 21, /unterminated values of 'a': expected '}' to close this '{'/);
  });
  it('no array, at the end of the text', function () {
    assertErrorAt('int x = 1;\n', 2, 1, /expected an array of bytes such as 'unsigned char model\[\] = \{ 0x1c, \.\.\. \};'/);
    assertErrorAt('', 1, 1, /expected an array of bytes/);
    assertErrorAt('// nothing here', 1, 16, /expected an array of bytes/);
  });
  it('a _len that disagrees with the values, at its value', function () {
    assertErrorAt('unsigned char a[] = { 1, 2, 3 };\nunsigned int a_len = 4;', 2, 22, /a_len is 4 but a holds 3 bytes/);
  });
  it('a negative value in an unsigned array', function () {
    assertErrorAt('uint8_t a[] = { 1, -2 };', 1, 20, /negative value -2 in an array of uint8_t: expected 0\.\.255/);
  });
  it('a value below -128', function () {
    assertErrorAt('int8_t a[] = { -129 };', 1, 16, /value -129 does not fit in a signed byte/);
  });
  it('a malformed number', function () {
    assertErrorAt('unsigned char a[] = {0x1g};', 1, 22, /'0x1g' is not an integer: expected hex \(0x1c\), decimal \(28\) or octal \(034\)/);
    assertErrorAt('unsigned char a[] = {09};', 1, 22, /'09' is not an integer/);
  });
  it('nested braces', function () {
    assertErrorAt('unsigned char a[] = {{1}};', 1, 22, /nested braces are not supported/);
  });
  it('a stray character or token outside the array', function () {
    assertErrorAt('unsigned char a[] = {1};\n@', 2, 1, /unexpected character '@'/);
    assertErrorAt('unsigned char a[] = {1}; 0x02', 1, 26, /expected a declaration .*found '0x02'/);
    assertErrorAt('unsigned char a[] = {1};\n}', 2, 1, /unexpected '}': no block is open here/);
  });
  it('a missing semicolon, at the next token', function () {
    assertErrorAt('unsigned char a[] = {1}\nunsigned char b[] = {2};', 2, 1, /expected ';' after the declaration of 'a', found 'unsigned'/);
  });
  it('counts a tab as one column and a character outside the BMP as one', function () {
    assertErrorAt('\tunsigned char a[] = {\n\t\t0x1ff};', 2, 3, /0x1ff does not fit/);
    assertErrorAt('/* é😀 */ unsigned char a[] = {256};', 1, 31, /256 does not fit/);
  });
  it('more values than the declared size', function () {
    assertErrorAt('unsigned char a[2] = {1, 2, 3};', 1, 29, /too many values: 'a' is declared with 2 bytes/);
  });
  it('a declared size too large to allocate', function () {
    assertErrorAt('unsigned char a[4000000000] = {1};', 1, 17, /array size 4000000000 is larger than the \d+ bytes fromCArray reads/);
  });
  it('an unterminated string', function () {
    assertErrorAt('const unsigned char a[] __attribute__((section(".x))) = {1};', 1, 48, /unterminated string/);
  });
  it('a function body', function () {
    assertErrorAt('int main(void) { return 0; }', 1, 16, /a function body is not expected here/);
  });
  it('a name that is not there, or not bytes', function () {
    assertErrorAt('unsigned char a[] = {1};', 1, 25, /no array named 'b' .*arrays found: a/, 'b');
    assertErrorAt('extern const unsigned char a[];', 1, 32, /'a' is only declared here, without values/, 'a');
  });
});

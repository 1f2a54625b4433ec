// What a user sees when something is wrong: one line on stderr, no stack trace, and an exit
// code scripts can branch on (1 bad input, 2 bad command line).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SHARED } from '../support/paths.js';
import { isOneLine, runCli } from './run-cli.js';

const HELLO = path.join(SHARED, 'models/tflm/examples/hello_world/models/hello_world_int8.tflite');

describe('tinyml errors', function () {
  let tmp = '';

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-cli-errors-'));
  });

  after(function () {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a missing model file: exit 1 naming the file', async function () {
    const missing = path.join(tmp, 'no-such-model.tflite');
    for (const command of [['inspect', missing], ['c-array', missing], ['from-c-array', missing, '-o', path.join(tmp, 'x')]]) {
      const { code, stdout, stderr } = await runCli(command);
      assert.equal(code, 1, `${command[0]}: ${stderr}`);
      assert.equal(stdout, '');
      assert.ok(isOneLine(stderr), stderr);
      assert.ok(stderr.includes(missing) && /no such file/.test(stderr), stderr);
    }
  });

  it('a model whose file identifier is not TFL3: exit 1 with the reason', async function () {
    const bytes = fs.readFileSync(HELLO);
    bytes.write('XXXX', 4, 'latin1'); // bytes 4..7 of a flatbuffer hold the file identifier
    const corrupt = path.join(tmp, 'bad-identifier.tflite');
    fs.writeFileSync(corrupt, bytes);
    const { code, stdout, stderr } = await runCli(['inspect', corrupt]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.ok(isOneLine(stderr), stderr);
    assert.match(stderr, /^error: .*bad-identifier\.tflite is not a valid model: .*TFL3/);
  });

  it('a truncated model: exit 1, one line', async function () {
    const truncated = path.join(tmp, 'truncated.tflite');
    fs.writeFileSync(truncated, fs.readFileSync(HELLO).subarray(0, 1000));
    const { code, stderr } = await runCli(['inspect', '--json', truncated]);
    assert.equal(code, 1);
    assert.ok(isOneLine(stderr), stderr);
    assert.match(stderr, /truncated\.tflite is not a valid model: /);
  });

  it('a malformed C array: exit 1 with file:line:column of the bad character', async function () {
    const source = path.join(tmp, 'bad.h');
    // The '@' is on line 3, column 9 (two spaces, "0x03," and a space before it).
    fs.writeFileSync(source, 'unsigned char m[] = {\n  0x01, 0x02,\n  0x03, @, 0x04\n};\n');
    const { code, stderr } = await runCli(['from-c-array', source, '-o', path.join(tmp, 'm.bin')]);
    assert.equal(code, 1);
    assert.ok(isOneLine(stderr), stderr);
    assert.ok(stderr.startsWith(`error: ${source}:3:9: `), stderr);
  });

  it('an output path that cannot be written: exit 1 naming it', async function () {
    const notAFolder = path.join(tmp, 'plain-file');
    fs.writeFileSync(notAFolder, 'x');
    const target = path.join(notAFolder, 'model.cc');
    const { code, stderr } = await runCli(['c-array', HELLO, '-o', target]);
    assert.equal(code, 1);
    assert.ok(isOneLine(stderr), stderr);
    assert.ok(stderr.startsWith(`error: cannot write ${target}: `), stderr);
  });

  const usage: [string, string[], RegExp][] = [
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['a misspelt command (with a suggestion)', ['inspct', HELLO], /unknown command 'inspct'.*inspect/],
    ['a missing argument', ['inspect'], /missing required argument 'MODEL'/],
    ['a missing required option', ['from-c-array', 'x.h'], /'-o, --output <FILE>' not specified/],
    ['an unknown option', ['inspect', '--frob', HELLO], /unknown option '--frob'/],
    ['an alignment that is not a number', ['c-array', HELLO, '--align', 'x'], /--align/],
    ['an alignment that is not a power of two', ['c-array', HELLO, '--align', '3'], /power of two/],
    ['a symbol that is not a C identifier', ['c-array', HELLO, '--name', '9lives'], /9lives.*C identifier/],
    ['options that exclude each other', ['c-array', HELLO, '--xxd', '--align', '4'], /--align.*--xxd/],
  ];
  for (const [what, args, message] of usage) {
    it(`${what}: exit 2`, async function () {
      const { code, stdout, stderr } = await runCli(args);
      assert.equal(code, 2, stderr);
      assert.equal(stdout, '');
      assert.ok(isOneLine(stderr), stderr);
      assert.match(stderr, message);
    });
  }

  it('no command at all: help on stderr, exit 2', async function () {
    const { code, stdout, stderr } = await runCli([]);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /^Usage: tinyml /);
  });
});

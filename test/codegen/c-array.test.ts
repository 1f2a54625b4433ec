import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { cSymbolName, fromCArray, toCArray } from '../../lib/codegen/c-array.js';
import { sharedModelPaths, sharedName, SHARED } from '../support/paths.js';
import { assertSameBytes, assertSameText, inPool, runTool } from './tools.js';

const SMALL_MODEL = path.join(SHARED, 'models/tflm/examples/hello_world/models/hello_world_int8.tflite');
const LARGE_MODEL = path.join(SHARED, 'models/tflm/examples/dtln/dtln_noise_suppression.tflite');

async function requireXxd(): Promise<void> {
  await runTool('xxd', ['-v']).catch(() => {
    throw new Error('xxd is not installed: these tests compare with the real `xxd -i` (Debian: apt-get install xxd)');
  });
}

describe('toCArray xxd mode: byte-identical to xxd -i on every shared model', function () {
  const models = sharedModelPaths();
  const xxdOutputs = new Map<string, string>();

  before(async function () {
    this.timeout(300_000);
    await requireXxd();
    await inPool(4, models, async (file) => {
      const { stdout } = await runTool('xxd', ['-i', path.basename(file)], path.dirname(file));
      xxdOutputs.set(file, stdout.toString('latin1'));
    });
  });

  it('finds the shared models', function () {
    assert.ok(models.length > 100, `only ${models.length} .tflite files under ../shared/models`);
  });

  for (const file of models) {
    it(sharedName(file), function () {
      const bytes = fs.readFileSync(file);
      const expected = xxdOutputs.get(file);
      assert.ok(expected !== undefined);
      const ours = toCArray(bytes, { xxd: true, fileName: file });
      assertSameText(ours.source, expected, 'toCArray({ xxd: true }) vs xxd -i');
      assert.equal(ours.header, null);
      assertSameBytes(fromCArray(expected), bytes, 'fromCArray(xxd -i output)');
      assertSameBytes(fromCArray(toCArray(bytes, { fileName: file }).source), bytes, 'fromCArray(toCArray(default mode).source)');
    });
  }
});

describe('cSymbolName and toCArray names: the same as xxd -i', function () {
  let dir = '';
  // Contents chosen for xxd's line breaks: empty, one short line, exactly one line, one over, every byte value.
  const contents: Array<[string, Uint8Array]> = [
    ['empty', new Uint8Array(0)],
    ['three', Uint8Array.of(0x61, 0x62, 0x63)],
    ['twelve', Uint8Array.from({ length: 12 }, (_, i) => i * 21)],
    ['thirteen', Uint8Array.from({ length: 13 }, (_, i) => 255 - i)],
    ['every byte', Uint8Array.from({ length: 256 }, (_, i) => i)],
  ];
  const names = [
    '1model.tflite', '9', '0x10.bin', 'my-model.v2.tflite', 'with space.tflite', 'tab\tname', 'ünïcödé.tflite',
    '日本語.tflite', 'emoji😀.tflite', '_leading_underscore', 'UPPER.TFLITE', 'a+b=c(1)[2].tflite', '.hidden',
    '-dash-first.tflite', 'model',
  ];

  before(async function () {
    await requireXxd();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-xxd-names-'));
  });
  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('mangles names by hand-worked examples', function () {
    assert.equal(cSymbolName('hello_world_int8.tflite'), 'hello_world_int8_tflite');
    assert.equal(cSymbolName('1model.tflite'), '__1model_tflite');
    assert.equal(cSymbolName('é'), '__'); // two UTF-8 bytes, each not alphanumeric
    assert.equal(cSymbolName('a-b c.D'), 'a_b_c_D');
    assert.equal(cSymbolName('dir/x.bin'), 'dir_x_bin'); // xxd mangles the whole argument
  });

  for (const name of names) {
    it(`names ${JSON.stringify(name)} as xxd does`, async function () {
      fs.writeFileSync(path.join(dir, name), contents[1][1]);
      const { stdout } = await runTool('xxd', ['-i', '--', name], dir);
      const expected = stdout.toString('latin1');
      const symbol = /^unsigned char (\S+)\[\] = \{\n/.exec(expected)?.[1];
      assert.equal(cSymbolName(name), symbol);
      assertSameText(toCArray(contents[1][1], { xxd: true, fileName: name }).source, expected, name);
    });
  }

  for (const [label, bytes] of contents) {
    it(`lays out ${label} (${bytes.length} bytes) as xxd does`, async function () {
      const name = `${label.replace(/ /g, '_')}.bin`;
      fs.writeFileSync(path.join(dir, name), bytes);
      const { stdout } = await runTool('xxd', ['-i', name], dir);
      const ours = toCArray(bytes, { xxd: true, fileName: path.join('/elsewhere', name) });
      assertSameText(ours.source, stdout.toString('latin1'), label);
      assertSameBytes(fromCArray(ours.source), bytes, `fromCArray of ${label}`);
    });
  }
});

describe('toCArray default mode', function () {
  const bytes = fs.readFileSync(SMALL_MODEL);

  it('with qualifier TM_CONST and includes: the array in flash on AVR (tm_platform.h), declared the same in the header', function () {
    const result = toCArray(bytes, { name: 'g_model', qualifier: 'TM_CONST', includes: ['tm_platform.h'] });
    assert.match(result.source, /^#include "tm_platform.h"\n#include "g_model.h"$/m);
    assert.match(result.source, /^TINYML_ALIGNAS\(16\) TM_CONST unsigned char g_model\[\] = \{$/m);
    assert.match(result.header ?? '', /^#include "tm_platform.h"$/m);
    assert.match(result.header ?? '', new RegExp(`^extern TM_CONST unsigned char g_model\\[${bytes.length}\\];$`, 'm'));
    assert.throws(() => toCArray(bytes, { qualifier: 'const; int x' }), /qualifier 'const; int x' is not a C type qualifier/);
    assert.throws(() => toCArray(bytes, { includes: ['a"b.h'] }), /include "a\\"b.h" cannot go in an #include/);
  });

  it('writes an aligned const array, its length and a header with extern "C" declarations', function () {
    const result = toCArray(bytes, { fileName: SMALL_MODEL });
    assert.equal(result.name, 'hello_world_int8_tflite');
    assert.equal(result.sourceFileName, 'hello_world_int8_tflite.c');
    assert.equal(result.headerFileName, 'hello_world_int8_tflite.h');
    const source = result.source;
    assert.match(source, /^#include "hello_world_int8_tflite\.h"$/m);
    assert.match(source, /^TINYML_ALIGNAS\(16\) const unsigned char hello_world_int8_tflite\[\] = \{$/m);
    assert.match(source, new RegExp(`^const unsigned int hello_world_int8_tflite_len = ${bytes.length};$`, 'm'));
    assert.match(source, /hello_world_int8\.tflite/); // says where the bytes came from
    const header = result.header ?? '';
    assert.match(header, /^#ifndef HELLO_WORLD_INT8_TFLITE_H_\n#define HELLO_WORLD_INT8_TFLITE_H_$/m);
    assert.match(header, /^#ifdef __cplusplus\nextern "C" \{\n#endif$/m);
    assert.match(header, new RegExp(`^extern const unsigned char hello_world_int8_tflite\\[${bytes.length}\\];$`, 'm'));
    assert.match(header, /^extern const unsigned int hello_world_int8_tflite_len;$/m);
    assert.match(header, /^#endif \/\* HELLO_WORLD_INT8_TFLITE_H_ \*\/\n$/m);
  });

  it('is deterministic and carries no timestamp', function () {
    const first = toCArray(bytes, { fileName: SMALL_MODEL });
    const second = toCArray(Uint8Array.from(bytes), { fileName: SMALL_MODEL });
    assert.deepEqual(second, first);
    assert.doesNotMatch(first.source + first.header, /\b20\d\d-\d\d-\d\d|\d\d:\d\d:\d\d/);
  });

  it('states the CRC-32 that gzip computes for the same bytes', function () {
    const gz = zlib.gzipSync(bytes);
    const gzipCrc = gz.readUInt32LE(gz.length - 8); // gzip's trailer: CRC-32 then length
    const stated = /CRC-32 0x([0-9a-f]{8})/.exec(toCArray(bytes, { fileName: SMALL_MODEL }).source)?.[1];
    assert.equal(stated, gzipCrc.toString(16).padStart(8, '0'));
  });

  it('takes name, headerFileName and alignment', function () {
    const result = toCArray(bytes, { name: 'g_model', headerFileName: 'model_data.h', alignment: 64, fileName: SMALL_MODEL });
    assert.equal(result.name, 'g_model');
    assert.equal(result.sourceFileName, 'g_model.c');
    assert.equal(result.headerFileName, 'model_data.h');
    assert.match(result.source, /^#include "model_data\.h"$/m);
    assert.match(result.source, /^TINYML_ALIGNAS\(64\) const unsigned char g_model\[\] = \{$/m);
    assert.match(result.header ?? '', /^#ifndef MODEL_DATA_H_$/m);
    assert.match(result.header ?? '', /^extern const unsigned int g_model_len;$/m);
    const unaligned = toCArray(bytes, { alignment: 1 });
    assert.equal(unaligned.name, 'model_tflite');
    assert.doesNotMatch(unaligned.source, /ALIGN/);
    assert.match(unaligned.source, /^const unsigned char model_tflite\[\] = \{$/m);
  });

  it('uses the base name of a POSIX or Windows path, and model_tflite without one', function () {
    assert.equal(toCArray(bytes, { fileName: 'C:\\models\\kws-v2.tflite' }).name, 'kws_v2_tflite');
    assert.equal(toCArray(bytes, { fileName: '/srv/models/3d.tflite' }).name, '__3d_tflite');
    assert.equal(toCArray(bytes).name, 'model_tflite');
    assert.equal(toCArray(bytes, { xxd: true }).source.split('\n')[0], 'unsigned char model_tflite[] = {');
  });

  it('keeps a hostile file name inside the comment', function () {
    // A base name cannot hold '*/' (it ends at the last '/'), but it can hold a newline.
    const result = toCArray(bytes, { fileName: 'models/evil\n#error x\r.tflite' });
    assert.match(result.source, /^ \* evil\?#error x\?\.tflite as a C array/m);
    assert.doesNotMatch(result.source, /^#error x/m);
    assert.equal(result.name, 'evil__error_x__tflite');
    assertSameBytes(fromCArray(result.source), bytes, 'fromCArray');
  });

  it('refuses what would not compile', function () {
    for (const name of ['1abc', 'a-b', '', 'é']) {
      assert.throws(() => toCArray(bytes, { name }), /is not a C identifier/);
    }
    for (const alignment of [0, 3, -16, 1.5, 1 << 17]) {
      assert.throws(() => toCArray(bytes, { alignment }), /is not a power of two/);
    }
    assert.throws(() => toCArray(bytes, { headerFileName: 'a"b.h' }), /#include/);
    assert.throws(() => toCArray(new Uint8Array(0)), /no bytes/);
  });

  it(`writes a ${Math.round(fs.statSync(LARGE_MODEL).size / 1024)} KB model in well under a second`, function () {
    const large = fs.readFileSync(LARGE_MODEL);
    toCArray(large); // warm up
    const started = process.hrtime.bigint();
    const result = toCArray(large, { fileName: LARGE_MODEL });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(ms < 500, `toCArray took ${ms.toFixed(0)} ms`);
    assert.ok(result.source.length > large.length * 6);
  });
});

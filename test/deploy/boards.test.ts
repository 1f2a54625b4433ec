// Board profiles against the datasheet figures, fits() budgets, and the CLI around them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BOARDS, findBoard, fits, RUNTIME_SIZE } from '../../lib/deploy/boards/index.js';
import { loadModel } from '../../lib/model/read.js';
import { runCli } from '../cli/run-cli.js';
import { REPO_ROOT, SHARED } from '../support/paths.js';

const HELLO = path.join(SHARED, 'models/tflm/examples/hello_world/models/hello_world_int8.tflite');
const PERSON = path.join(SHARED, 'models/tflm/models/person_detect.tflite');
const KIB = 1024;

function load(file: string): { bytes: Uint8Array; model: ReturnType<typeof loadModel> } {
  const bytes = new Uint8Array(fs.readFileSync(file));
  return { bytes, model: loadModel(bytes) };
}

// Figures typed in from the vendors' datasheets and Arduino boards.txt (app budgets).
const DATASHEET: Record<string, { clockHz: number; flashBytes: number; ramBytes: number; core: string; fpu: string }> = {
  'uno': { clockHz: 16e6, flashBytes: 32 * KIB - 512, ramBytes: 2 * KIB, core: 'avr8', fpu: 'none' },
  'nano33ble': { clockHz: 64e6, flashBytes: 983040, ramBytes: 256 * KIB, core: 'cortex-m4f', fpu: 'single' },
  'pico': { clockHz: 133e6, flashBytes: 2 * 1024 * KIB - 256, ramBytes: 256 * KIB, core: 'cortex-m0plus', fpu: 'none' },
  'esp32': { clockHz: 240e6, flashBytes: 1310720, ramBytes: 327680, core: 'xtensa-lx6', fpu: 'single' },
  'nucleo-l4r5zi': { clockHz: 120e6, flashBytes: 2 * 1024 * KIB, ramBytes: 640 * KIB, core: 'cortex-m4f', fpu: 'single' },
  'qemu-mps2-an385': { clockHz: 25e6, flashBytes: 4 * 1024 * KIB, ramBytes: 4 * 1024 * KIB, core: 'cortex-m3', fpu: 'none' },
  'simavr-atmega328p': { clockHz: 16e6, flashBytes: 32 * KIB - 512, ramBytes: 2 * KIB, core: 'avr8', fpu: 'none' },
};

describe('deploy/boards: profiles', function () {
  it('has the seven boards of issue 7, each id once', function () {
    assert.deepEqual(BOARDS.map((b) => b.id).sort(), Object.keys(DATASHEET).sort());
  });

  for (const [id, expected] of Object.entries(DATASHEET)) {
    it(`${id}: clock, flash, RAM, core and FPU as the datasheet says`, function () {
      const board = findBoard(id);
      assert.deepEqual(
        { clockHz: board.clockHz, flashBytes: board.flashBytes, ramBytes: board.ramBytes, core: board.core, fpu: board.fpu },
        expected,
      );
    });
  }

  it('is consistent: toolchain follows the core, emulated boards have no FQBN, every core has a runtime size', function () {
    for (const board of BOARDS) {
      const toolchain = board.core === 'avr8' ? 'gcc-avr' : board.core === 'xtensa-lx6' ? 'xtensa-esp32-elf-gcc' : 'arm-none-eabi-gcc';
      assert.equal(board.toolchain, toolchain, board.id);
      assert.equal(board.emulated, board.fqbn === null, `${board.id}: FQBN exactly for hardware boards`);
      assert.equal(board.emulated, board.upload === 'qemu' || board.upload === 'simavr', `${board.id}: upload`);
      assert.ok(RUNTIME_SIZE[board.core] !== undefined, `${board.id}: runtime size for ${board.core}`);
      assert.ok(board.notes.length > 20 && board.name.length > 0 && board.mcu.length > 0, `${board.id}: documented`);
      assert.ok(board.baud > 0);
    }
  });

  it('the model info node offers every board, and only those', function () {
    const html = fs.readFileSync(path.join(REPO_ROOT, 'nodes/model-info.html'), 'utf8');
    const select = /<select id="node-input-board">([\s\S]*?)<\/select>/.exec(html);
    assert.ok(select, 'a board <select> in the edit dialog');
    const values = [...select[1].matchAll(/<option value="([^"]*)">/g)].map((m) => m[1]);
    assert.deepEqual(values, ['', ...BOARDS.map((b) => b.id)]);
  });

  it('finds boards case-insensitively and names the known ones for a wrong id', function () {
    assert.equal(findBoard('UNO').id, 'uno');
    assert.throws(() => findBoard('mega'), /unknown board 'mega': known boards are uno, nano33ble, .*simavr-atmega328p/);
  });
});

describe('deploy/boards: fits()', function () {
  it('hello_world_int8 fits an Uno: flash = file + runtime, RAM within 2 KB', function () {
    const { bytes, model } = load(HELLO);
    const fit = fits(model, findBoard('uno'), { modelBytes: bytes.length });
    assert.equal(fit.fits, true, fit.message);
    assert.equal(fit.flash.needed, bytes.length + RUNTIME_SIZE.avr8.flashBytes);
    assert.equal(fit.flash.available, 32256);
    assert.equal(fit.flash.margin, 32256 - fit.flash.needed);
    assert.ok(fit.ram !== null);
    assert.equal(fit.ram.available, 2048);
    // At least the runtime's globals and stack, below the board's 2 KB.
    assert.ok(fit.ram.needed >= RUNTIME_SIZE.avr8.ramBytes + RUNTIME_SIZE.avr8.stackBytes && fit.ram.needed <= 2048);
    assert.match(fit.message, /^fits: [\d.]+ KB of 31\.5 KB flash, [\d.]+ (B|KB) of 2 KB RAM$/);
  });

  it('without modelBytes, measures the model written back to bytes', function () {
    const { bytes, model } = load(HELLO);
    const fit = fits(model, findBoard('uno'));
    // The writer may pad differently from the converter; within a few hundred bytes of the file.
    assert.ok(Math.abs(fit.flash.needed - RUNTIME_SIZE.avr8.flashBytes - bytes.length) < 512, `${fit.flash.needed}`);
  });

  it('person_detect does not fit an Uno: RAM needed > 2 KB, flash needed > 32 KB', function () {
    const { bytes, model } = load(PERSON);
    const fit = fits(model, findBoard('uno'), { modelBytes: bytes.length });
    assert.equal(fit.fits, false);
    assert.ok(fit.ram !== null && fit.ram.needed > 2048 && fit.ram.margin < 0);
    assert.ok(fit.flash.needed > 32256 && fit.flash.margin < 0);
    assert.match(fit.message, /^does not fit: needs [\d.]+ KB flash, Arduino Uno has 31\.5 KB; needs [\d.]+ KB RAM, Arduino Uno has 2 KB$/);
  });

  it('person_detect fits a Nano 33 BLE Sense (300 KB of 960 KB flash, arena far below 256 KB)', function () {
    const { bytes, model } = load(PERSON);
    const fit = fits(model, findBoard('nano33ble'), { modelBytes: bytes.length });
    assert.equal(fit.fits, true, fit.message);
  });

  it('takes the caller\'s arena figure: 3000 B of arena does not fit 2 KB', function () {
    const { model } = load(HELLO);
    const fit = fits(model, findBoard('uno'), { modelBytes: 100, arenaBytes: 3000 });
    assert.equal(fit.fits, false);
    assert.equal(fit.ram?.needed, 3000 + RUNTIME_SIZE.avr8.ramBytes + RUNTIME_SIZE.avr8.stackBytes);
    assert.match(fit.message, /^does not fit: needs [\d.]+ KB RAM, Arduino Uno has 2 KB$/);
  });
});

describe('deploy/boards: CLI', function () {
  it('tinyml boards lists every profile', async function () {
    const { code, stdout } = await runCli(['boards']);
    assert.equal(code, 0);
    for (const board of BOARDS) assert.match(stdout, new RegExp(`^${board.id}\\s+${board.name.replace(/[()]/g, '\\$&')}`, 'm'));
  });

  it('tinyml boards --json gives the profiles', async function () {
    const { code, stdout } = await runCli(['boards', '--json']);
    assert.equal(code, 0);
    const boards = JSON.parse(stdout) as { id: string; ramBytes: number }[];
    assert.equal(boards.find((b) => b.id === 'uno')?.ramBytes, 2048);
    assert.equal(boards.length, 7);
  });

  it('tinyml inspect --board uno: fits for hello_world_int8, does not fit for person_detect', async function () {
    const hello = await runCli(['inspect', HELLO, '--board', 'uno']);
    assert.equal(hello.code, 0, hello.stderr);
    assert.match(hello.stdout, /^Board uno \(Arduino Uno\): fits: /m);
    assert.match(hello.stdout, /^ {2}RAM +needed [\d,]+ B \(arena \+ runtime \+ stack\), available 2,048 B/m);
    const person = await runCli(['inspect', PERSON, '--board', 'uno', '--json']);
    assert.equal(person.code, 0, person.stderr);
    const report = JSON.parse(person.stdout) as { board: { fits: boolean; ram: { needed: number } } };
    assert.equal(report.board.fits, false);
    assert.ok(report.board.ram.needed > 2048);
  });

  it('tinyml inspect without --board has no board section; a wrong id is a usage error', async function () {
    const plain = await runCli(['inspect', HELLO]);
    assert.doesNotMatch(plain.stdout, /^Board /m);
    const wrong = await runCli(['inspect', HELLO, '--board', 'mega']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /^error: unknown board 'mega': known boards are uno/);
  });
});

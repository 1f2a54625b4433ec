// The firmware targets end to end: build with the real cross compilers, run under QEMU
// (Cortex-M3) and simavr (ATmega328P), and talk to them with serialport over the emulators'
// pseudo-terminals using the frames of docs/firmware-serial.md. The application is the stand-in
// of firmware/common/serial-app/app_standin.c: output = input reversed, then the input's sum
// mod 256.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { buildAvrHarness, buildFirmware, buildOptiboot, requireTool, startQemu, startSimavr } from '../../lib/deploy/emulators';
import type { BuiltFirmware, EmulatorSession } from '../../lib/deploy/emulators';
import { crc16CcittFalse, encodeInferRequest, InferReplyParser, ReplyStatus } from '../../lib/deploy/serial-app';
import { openInferPort } from '../../lib/deploy/serial-app-port';
import type { InferPort } from '../../lib/deploy/serial-app-port';
import { REPO_ROOT } from '../support/paths';

/** The stand-in's definition, restated: reversed input followed by sum mod 256. */
function standIn(input: number[]): number[] {
  return [...input].reverse().concat([input.reduce((a, b) => a + b, 0) & 0xff]);
}

const execFileAsync = promisify(execFile);

const ramp256 = Array.from({ length: 256 }, (_, i) => i);

describe('firmware serial frames (host side)', () => {
  it('CRC-16/CCITT-FALSE gives the catalogue check value 0x29B1 for "123456789"', () => {
    assert.equal(crc16CcittFalse(new TextEncoder().encode('123456789')), 0x29b1);
  });

  it('encodes the example request of docs/firmware-serial.md byte for byte', () => {
    // CRC 0x9EEF of 03 00 01 02 03, worked out bit by bit from the CRC-16/CCITT-FALSE definition.
    const frame = encodeInferRequest(Uint8Array.from([1, 2, 3]));
    assert.deepEqual([...frame], [0xa5, 3, 0, 1, 2, 3, 0xef, 0x9e]);
  });

  it('parses replies split anywhere, skips leading noise and rejects a bad CRC', () => {
    const body = [0, 2, 0, 9, 8, 0x78, 0x56, 0x34, 0x12];
    const crc = crc16CcittFalse(Uint8Array.from(body));
    const frame = [0x00, 0x13, 0x5a, ...body, crc & 0xff, crc >> 8];
    const parser = new InferReplyParser();
    assert.deepEqual(parser.push(Uint8Array.from(frame.slice(0, 5))), []);
    const [reply] = parser.push(Uint8Array.from(frame.slice(5)));
    assert.deepEqual({ ...reply, output: [...reply.output] }, { status: 0, output: [9, 8], cycles: 0x12345678 });
    const bad = frame.slice(2);
    bad[bad.length - 1] ^= 1;
    assert.throws(() => new InferReplyParser().push(Uint8Array.from(bad)), /CRC 0x[0-9a-f]{4} does not match/);
  });
});

describe('emulator tools', () => {
  it('names the Debian package when a tool is missing', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '';
    try {
      assert.throws(() => requireTool('qemu-system-arm'), /^Error: qemu-system-arm not found: apt-get install qemu-system-arm$/);
      await assert.rejects(startQemu(__filename), /qemu-system-arm not found: apt-get install qemu-system-arm/);
    } finally {
      process.env.PATH = saved;
    }
  });
});

/** The request/reply exchanges both boards must answer identically (cycles aside). */
function exchangeTests(getPort: () => InferPort): void {
  it('answers empty, short and 256-byte inputs byte-exact', async () => {
    const port = getPort();
    for (const input of [[], [1, 2, 3], ramp256]) {
      const reply = await port.infer(Uint8Array.from(input));
      assert.equal(reply.status, ReplyStatus.OK);
      assert.deepEqual([...reply.output], standIn(input));
    }
  });

  it('counts more cycles for 256 bytes than for 3', async () => {
    const port = getPort();
    const small = await port.infer(Uint8Array.from([1, 2, 3]));
    const large = await port.infer(Uint8Array.from(ramp256));
    assert.ok(large.cycles > small.cycles, `cycles 256 B ${large.cycles} vs 3 B ${small.cycles}`);
    assert.ok(large.cycles > 256, `at least a cycle per byte, got ${large.cycles}`);
    console.log(`      stand-in app_infer cycles: 3 B ${small.cycles}, 256 B ${large.cycles}`);
  });

  it('refuses an input over SA_MAX_INPUT and stays in sync', async () => {
    const port = getPort();
    const reply = await port.infer(new Uint8Array(257).fill(7));
    assert.deepEqual({ status: reply.status, output: [...reply.output], cycles: reply.cycles }, { status: ReplyStatus.TOO_LONG, output: [], cycles: 0 });
    assert.deepEqual([...(await port.infer(Uint8Array.from([5]))).output], [5, 5]);
  });

  it('reports a damaged request, skips noise, then serves the next frame', async () => {
    const port = getPort();
    const damaged = encodeInferRequest(Uint8Array.from([10, 20, 30]));
    damaged[4] ^= 0x40;
    await port.writeRaw(damaged);
    const reply = await port.nextReply();
    assert.equal(reply.status, ReplyStatus.BAD_CRC);
    assert.equal(reply.output.length, 0);
    await port.writeRaw(Uint8Array.from([0x00, 0xff, 0x13]));
    const after = await port.infer(Uint8Array.from([200, 100]));
    assert.deepEqual([...after.output], [100, 200, 44]);
  });
}

describe('firmware targets under emulation', function () {
  this.timeout(60000);
  let dir: string;
  let arm: BuiltFirmware;
  let avr: BuiltFirmware;
  let harness: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-fw-'));
    [arm, avr, harness] = await Promise.all([
      buildFirmware('qemu-mps2-an385', path.join(dir, 'arm')),
      buildFirmware('atmega328p', path.join(dir, 'avr')),
      buildAvrHarness(path.join(dir, 'sim')),
    ]);
    console.log(
      `      stand-in firmware sizes (bytes): Cortex-M3 flash ${arm.size.flash} RAM ${arm.size.ram}; ` +
        `ATmega328P flash ${avr.size.flash} RAM ${avr.size.ram}`,
    );
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('builds both targets within sane sizes', () => {
    assert.ok(fs.existsSync(arm.elf) && avr.hex !== undefined && fs.existsSync(avr.hex));
    // The stand-in is a few hundred bytes of code; the buffers are 256 + 260 bytes.
    for (const size of [arm.size, avr.size]) {
      assert.ok(size.flash > 200 && size.flash < 4096, `flash ${size.flash}`);
      assert.ok(size.ram >= 516 && size.ram < 1024, `RAM ${size.ram}`);
    }
  });

  for (const board of ['qemu-mps2-an385', 'atmega328p'] as const) {
    describe(board, () => {
      let session: EmulatorSession | undefined;
      let port: InferPort | undefined;
      before(async () => {
        session =
          board === 'qemu-mps2-an385'
            ? await startQemu(arm.elf)
            : await startSimavr(avr.hex as string, { harnessPath: harness });
        port = await openInferPort(session.ptyPath);
        await session.resume();
      });
      after(async () => {
        await port?.close();
        await session?.stop();
      });
      exchangeTests(() => port as InferPort);
    });
  }

  describe('tm_platform.h constant-data accessors on the boards', () => {
    // Table bytes 11 22 33 44 55 66 77 88 99; reads are little-endian at any byte offset:
    // [kind, offset] -> the value as 4 LE bytes (signed kinds sign-extended), worked out by hand.
    const cases: Array<[number, number, number[]]> = [
      [0, 8, [0x99, 0, 0, 0]], // U8 0x99
      [1, 1, [0x22, 0x33, 0, 0]], // U16 at an odd offset: 0x3322
      [2, 3, [0x44, 0x55, 0x66, 0x77]], // U32 unaligned: 0x77665544
      [3, 8, [0x99, 0xff, 0xff, 0xff]], // I8 0x99 = -103
      [4, 7, [0x88, 0x99, 0xff, 0xff]], // I16 0x9988 = -26232
      [5, 5, [0x66, 0x77, 0x88, 0x99]], // I32 0x99887766
      [6, 0, [0x5a, 0, 0, 0]], // filler[1000] = 0x5A
      [6, 1, [0, 0, 0, 0]], // filler[1001] = 0
    ];
    const app = path.join(REPO_ROOT, 'test/firmware/platform_app.c');
    for (const board of ['qemu-mps2-an385', 'atmega328p'] as const) {
      it(`${board}: TM_READ_* give the little-endian values and TM_CONST stays out of RAM`, async () => {
        const built = await buildFirmware(board, path.join(dir, `platform-${board}`), { appSources: [app] });
        // 1 KB of TM_CONST filler: in flash, never in .data (which is copied to RAM at start-up).
        assert.ok(built.size.text > 1024 && built.size.data < 64, JSON.stringify(built.size));
        const session =
          board === 'qemu-mps2-an385'
            ? await startQemu(built.elf)
            : await startSimavr(built.hex as string, { harnessPath: harness });
        const port = await openInferPort(session.ptyPath);
        try {
          await session.resume();
          for (const [kind, offset, expected] of cases) {
            const reply = await port.infer(Uint8Array.from([kind, offset]));
            assert.equal(reply.status, ReplyStatus.OK);
            assert.deepEqual([...reply.output], expected, `kind ${kind} at offset ${offset}`);
          }
        } finally {
          await port.close();
          await session.stop();
        }
      });
    }
  });

  describe('atmega328p flashed through Optiboot with avrdude', () => {
    let session: EmulatorSession | undefined;
    let port: InferPort | undefined;
    after(async () => {
      await port?.close();
      await session?.stop();
    });

    it('takes the firmware from avrdude -c arduino over the pty, then serves frames', async () => {
      const optiboot = await buildOptiboot(path.join(dir, 'optiboot'));
      // The boot section is 512 bytes (BOOTSZ for 0x7E00): a bigger bootloader would overrun it.
      const bootBytes = fs
        .readFileSync(optiboot, 'utf8')
        .split('\n')
        .filter((l) => l.slice(7, 9) === '00')
        .reduce((n, l) => n + parseInt(l.slice(1, 3), 16), 0);
      assert.ok(bootBytes > 0 && bootBytes <= 512, `Optiboot is ${bootBytes} bytes`);
      session = await startSimavr('', { bootloader: optiboot, harnessPath: harness });
      const avrdude = requireTool('avrdude');
      const hex = avr.hex as string;
      const { stderr } = await execFileAsync(avrdude, ['-c', 'arduino', '-p', 'm328p', '-b', '115200', '-P', session.ptyPath, '-U', `flash:w:${hex}:i`]);
      assert.match(stderr, new RegExp(`${avr.size.flash} bytes of flash verified`));
      port = await openInferPort(session.ptyPath);
      await port.waitReady();
      for (const input of [[1, 2, 3], ramp256]) {
        const reply = await port.infer(Uint8Array.from(input));
        assert.equal(reply.status, ReplyStatus.OK);
        assert.deepEqual([...reply.output], standIn(input));
      }
    });
  });
});

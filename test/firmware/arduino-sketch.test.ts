// The Arduino sketch of a generated Uno project, built the way the Arduino builder does (the core
// of Debian's arduino-core-avr, the `tinyml` library's src/, the sketch's .c files, and the .ino
// as C++ after `#include <Arduino.h>`), then run on simavr: HardwareSerial carries the frames,
// and hello_world_int8's outputs must be byte-equal to TFLM's goldens.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { firmwareProject, writeProjectFiles } from '../../lib/codegen/firmware-project.js';
import { findBoard } from '../../lib/deploy/boards/index.js';
import { buildAvrHarness, findTool, startSimavr } from '../../lib/deploy/emulators/index.js';
import { ReplyStatus } from '../../lib/deploy/serial-app.js';
import { openInferPort } from '../../lib/deploy/serial-app-port.js';
import { SHARED } from '../support/paths.js';
import { tempDir } from './host-runtime.js';

const run = promisify(execFile);
const CORE = '/usr/share/arduino/hardware/arduino/avr';
const GOLDEN = path.join(SHARED, 'golden');
// Debian's WString.cpp needs DECIMAL_DIG, which this avr-libc's float.h lacks; the sketch uses no String.
const CORE_SKIP = new Set(['WString.cpp']);
const FLAGS = ['-mmcu=atmega328p', '-DF_CPU=16000000L', '-DARDUINO=10819', '-DARDUINO_AVR_UNO', '-DARDUINO_ARCH_AVR', '-Os', '-ffunction-sections', '-fdata-sections'];

describe('firmware projects: the Arduino sketch on a simulated Uno', function () {
  this.timeout(120000);
  let dir = '';
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hello_world_int8: sketch + tinyml library built against arduino-core-avr, outputs byte-equal to TFLM', async function () {
    if (!fs.existsSync(CORE) || !['avr-gcc', 'avr-g++', 'avr-objcopy', 'simavr'].every((t) => findTool(t) !== undefined)) this.skip();
    dir = tempDir('sketch');
    const project = firmwareProject(fs.readFileSync(path.join(SHARED, 'models/tflm/examples/hello_world/models/hello_world_int8.tflite')), { board: findBoard('uno'), name: 'hello' });
    writeProjectFiles(dir, project.files);
    const sketch = path.join(dir, 'arduino/hello');
    const library = path.join(dir, 'arduino/libraries/tinyml/src');
    const includes = ['-I', `${CORE}/cores/arduino`, '-I', `${CORE}/variants/standard`, '-I', library, '-I', sketch];
    const ino = path.join(dir, 'hello.ino.cpp');
    fs.writeFileSync(ino, `#include <Arduino.h>\n#line 1 "hello.ino"\n${fs.readFileSync(path.join(sketch, 'hello.ino'), 'utf8')}`);
    const sources = [
      ...fs.readdirSync(`${CORE}/cores/arduino`).filter((f) => /\.(c|cpp)$/.test(f) && !CORE_SKIP.has(f)).map((f) => `${CORE}/cores/arduino/${f}`),
      ...fs.readdirSync(library, { recursive: true }).map(String).filter((f) => f.endsWith('.c')).map((f) => path.join(library, f)),
      ...fs.readdirSync(sketch).filter((f) => f.endsWith('.c')).map((f) => path.join(sketch, f)),
      ino,
    ];
    const objects = await Promise.all(sources.map(async (source, i) => {
      const object = path.join(dir, `${i}-${path.basename(source)}.o`);
      const cpp = source.endsWith('.cpp');
      await run(cpp ? 'avr-g++' : 'avr-gcc', [cpp ? '-std=gnu++11' : '-std=gnu11', ...(cpp ? ['-fno-exceptions', '-fno-threadsafe-statics'] : []), ...FLAGS, ...includes, '-c', source, '-o', object]);
      return object;
    }));
    const elf = path.join(dir, 'sketch.elf');
    const hex = path.join(dir, 'sketch.hex');
    await run('avr-gcc', ['-mmcu=atmega328p', '-Os', '-Wl,--gc-sections', '-o', elf, ...objects]);
    await run('avr-objcopy', ['-O', 'ihex', '-R', '.eeprom', elf, hex]);
    const golden = JSON.parse(fs.readFileSync(path.join(GOLDEN, 'hello_world_int8.json'), 'utf8')) as { cases: { case: string; inputs: { file: string }[]; outputs: { file: string }[] }[] };
    const session = await startSimavr(hex, { harnessPath: await buildAvrHarness(path.join(dir, 'sim')) });
    const port = await openInferPort(session.ptyPath);
    try {
      await session.resume();
      for (const c of golden.cases) {
        // hello_world: one int8 in, one int8 out per invoke.
        const input = fs.readFileSync(path.join(GOLDEN, c.inputs[0].file));
        const output = fs.readFileSync(path.join(GOLDEN, c.outputs[0].file));
        for (let f = 0; f < input.length; f++) {
          const reply = await port.infer(input.subarray(f, f + 1));
          assert.equal(reply.status, ReplyStatus.OK);
          assert.deepEqual([...reply.output], [output[f]], `${c.case} frame ${f}`);
        }
      }
    } finally {
      await port.close();
      await session.stop();
    }
  });
});

// Generated firmware projects end to end: firmwareProject() writes a folder, its own Makefile
// builds it (arm-none-eabi-gcc, avr-gcc, gcc), and the firmware runs under QEMU (Cortex-M3) and
// simavr (Uno), fed TFLM's golden inputs over the emulator's pty with serialport: outputs must be
// byte-equal to the goldens (../shared/golden/NAME.json). Also the generation-time errors.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { firmwareProject, FirmwareProjectError, writeProjectFiles, type FirmwareProject } from '../../lib/codegen/firmware-project.js';
import { TINYML_PLAN, withTinymlPlan } from '../../lib/codegen/plan/index.js';
import { findBoard } from '../../lib/deploy/boards/index.js';
import { buildAvrHarness, buildFirmwareProject, buildHostProject, findTool, startQemu, startSimavr } from '../../lib/deploy/emulators/index.js';
import type { BuiltProject, EmulatorSession } from '../../lib/deploy/emulators/index.js';
import { encodeInferRequest, InferReplyParser, ReplyStatus } from '../../lib/deploy/serial-app.js';
import { openInferPort } from '../../lib/deploy/serial-app-port.js';
import { loadModel } from '../../lib/model/read.js';
import { writeModel } from '../../lib/model/write.js';
import { SHARED } from '../support/paths.js';
import { tempDir } from './host-runtime.js';

const GOLDEN = path.join(SHARED, 'golden');

interface GoldenCase { case: string; frames: number; inputs: { file: string }[]; outputs: { file: string }[] }
interface Golden { model: string; cases: GoldenCase[]; arena_used_bytes_x86_64: number }

const golden = (name: string): Golden => JSON.parse(fs.readFileSync(path.join(GOLDEN, `${name}.json`), 'utf8')) as Golden;
const modelBytes = (name: string): Uint8Array => fs.readFileSync(path.join(SHARED, golden(name).model));

/** Each case's frames: [input bytes, expected output bytes] per invoke, from the golden files. */
function goldenFrames(name: string, project: FirmwareProject): { case: string; frames: [Buffer, Buffer][] }[] {
  const { inputBytes, outputBytes } = project.plan;
  return golden(name).cases.map((c) => {
    const input = Buffer.concat(c.inputs.map((i) => fs.readFileSync(path.join(GOLDEN, i.file))));
    const output = Buffer.concat(c.outputs.map((o) => fs.readFileSync(path.join(GOLDEN, o.file))));
    assert.equal(input.length, c.frames * inputBytes, `${name} ${c.case}: golden input size`);
    const frames = Array.from({ length: c.frames }, (_, f): [Buffer, Buffer] =>
      [input.subarray(f * inputBytes, (f + 1) * inputBytes), output.subarray(f * outputBytes, (f + 1) * outputBytes)]);
    return { case: c.case, frames };
  });
}

const ARM_MODELS = ['hello_world_int8', 'micro_speech_quantized', 'person_detect'];
const haveTools = (...tools: string[]): boolean => tools.every((t) => findTool(t) !== undefined);

describe('firmware projects: generated, built with their Makefile, run on emulated boards', function () {
  this.timeout(120000);
  const dir = tempDir('fwproj');
  const projects = new Map<string, FirmwareProject>();
  const built = new Map<string, BuiltProject>();
  let harness: string | undefined;

  function generate(name: string, board: string): string {
    const project = firmwareProject(modelBytes(name), { board: findBoard(board), name });
    projects.set(`${name}@${board}`, project);
    const projectDir = path.join(dir, `${name}-${board}`);
    writeProjectFiles(projectDir, project.files);
    return projectDir;
  }

  before(async function () {
    const jobs: Promise<void>[] = [];
    if (haveTools('make', 'arm-none-eabi-gcc', 'qemu-system-arm')) {
      for (const name of ARM_MODELS) {
        const projectDir = generate(name, 'qemu-mps2-an385');
        const project = projects.get(`${name}@qemu-mps2-an385`) as FirmwareProject;
        jobs.push(buildFirmwareProject(projectDir, project.modelObject).then((b) => void built.set(`${name}@qemu-mps2-an385`, b)));
      }
    }
    if (haveTools('make', 'avr-gcc', 'simavr')) {
      const projectDir = generate('hello_world_int8', 'uno');
      const project = projects.get('hello_world_int8@uno') as FirmwareProject;
      jobs.push(buildFirmwareProject(projectDir, project.modelObject).then((b) => void built.set('hello_world_int8@uno', b)));
      jobs.push(buildAvrHarness(path.join(dir, 'sim')).then((h) => void (harness = h)));
    }
    await Promise.all(jobs);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the model array as TM_CONST with tm_platform.h, the op table, only the used kernels, and a standalone Makefile', () => {
    const project = firmwareProject(modelBytes('hello_world_int8'), { board: findBoard('uno'), name: 'hello' });
    const files = Object.keys(project.files);
    assert.match(project.files['src/hello_model.c'], /#include "tm_platform.h"[\s\S]*TM_CONST unsigned char hello_model\[\] = \{/);
    assert.match(project.files['src/hello_model.h'], /extern TM_CONST unsigned char hello_model\[\d+\];/);
    assert.deepEqual(files.filter((f) => f.startsWith('runtime/kernels/')), ['runtime/kernels/tm_fully_connected.c']);
    assert.match(project.files['src/tm_ops.c'], /tm_kernel_fully_connected/);
    assert.doesNotMatch(project.files.Makefile, /\.\.\//, 'the Makefile refers to nothing outside the project');
    // Uno: the Arduino sketch with the runtime as a library, and PlatformIO over the same sketch.
    for (const f of ['arduino/hello/hello.ino', 'arduino/libraries/tinyml/library.properties', 'arduino/libraries/tinyml/src/tinyml.h',
      'arduino/libraries/tinyml/src/kernels/tm_fully_connected.c', 'arduino/hello/hello_model.c', 'platformio.ini']) assert.ok(files.includes(f), f);
    // The bytes in the array are the model with its plan: it loads and carries tinyml_plan.
    assert.ok(loadModel(project.modelBytes).metadata[TINYML_PLAN] !== undefined);
  });

  it('host: `make host` builds the generated project with gcc and answers the golden frames on stdin', async function () {
    if (!haveTools('make', 'gcc')) this.skip();
    const name = 'micro_speech_quantized';
    const projectDir = generate(name, 'qemu-mps2-an385');
    const exe = await buildHostProject(projectDir, { outDir: path.join(dir, 'host-build') });
    const cases = goldenFrames(name, projects.get(`${name}@qemu-mps2-an385`) as FirmwareProject);
    const frames = cases.flatMap((c) => c.frames);
    const child = execFile(exe, [], { encoding: 'buffer', maxBuffer: 1 << 24 });
    const out: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stdin?.end(Buffer.concat(frames.map(([input]) => Buffer.from(encodeInferRequest(input)))));
    await new Promise((resolve) => child.on('close', resolve));
    const replies = new InferReplyParser().push(Buffer.concat(out));
    assert.equal(replies.length, frames.length);
    replies.forEach((reply, i) => {
      assert.equal(reply.status, ReplyStatus.OK);
      assert.ok(Buffer.from(reply.output).equals(frames[i][1]), `frame ${i}: output differs from TFLM`);
    });
  });

  for (const name of ARM_MODELS) {
    it(`Cortex-M3 (QEMU mps2-an385): ${name} outputs byte-equal to TFLM's goldens`, async function () {
      const image = built.get(`${name}@qemu-mps2-an385`);
      if (!image) this.skip();
      const project = projects.get(`${name}@qemu-mps2-an385`) as FirmwareProject;
      const session = await startQemu(image.elf, { icountShift: 0 });
      await runGoldenCases(session, name, project, 'Cortex-M3', image);
    });
  }

  it('Arduino Uno (simavr ATmega328P): hello_world_int8 outputs byte-equal to TFLM\'s goldens', async function () {
    const image = built.get('hello_world_int8@uno');
    if (!image?.hex || !harness) this.skip();
    const project = projects.get('hello_world_int8@uno') as FirmwareProject;
    // The model lives in flash (PROGMEM): RAM holds no copy of it.
    assert.ok(image.footprint.model.ram === 0 && image.footprint.model.flash >= project.modelBytes.length, JSON.stringify(image.footprint.model));
    // Issue 7's Uno budget for the whole hello_world firmware.
    assert.ok(image.size.flash <= 16 * 1024 && image.size.ram <= 2 * 1024, JSON.stringify(image.size));
    const session = await startSimavr(image.hex, { harnessPath: harness });
    await runGoldenCases(session, 'hello_world_int8', project, 'ATmega328P', image);
  });

  async function runGoldenCases(session: EmulatorSession, name: string, project: FirmwareProject, target: string, image: BuiltProject): Promise<void> {
    const port = await openInferPort(session.ptyPath);
    try {
      // Issue 7: the device's RAM (arena + globals, frames included) stays within TFLM's arena alone.
      const tflmArena = golden(name).arena_used_bytes_x86_64;
      assert.ok(image.size.ram <= tflmArena, `${target} ${name}: RAM ${image.size.ram} B > TFLM's arena ${tflmArena} B`);
      // The map's parts add up to what the target's size tool reports (padding and fill aside).
      const parts = Object.values(image.footprint);
      const sum = (key: 'flash' | 'ram'): number => parts.reduce((n, p) => n + p[key], 0);
      assert.ok(Math.abs(sum('flash') - image.size.flash) <= 64 && Math.abs(sum('ram') - image.size.ram) <= 16, `${JSON.stringify(image.footprint)} vs ${JSON.stringify(image.size)}`);
      await session.resume();
      const cycles: string[] = [];
      for (const c of goldenFrames(name, project)) {
        let first = 0;
        for (const [f, [input, expected]] of c.frames.entries()) {
          const reply = await port.infer(input);
          assert.equal(reply.status, ReplyStatus.OK, `${name} ${c.case} frame ${f}: status ${reply.status}`);
          assert.ok(Buffer.from(reply.output).equals(expected), `${name} ${c.case} frame ${f}: [${[...reply.output]}] differs from TFLM's [${[...expected]}]`);
          assert.ok(reply.cycles > 0);
          if (f === 0) first = reply.cycles;
        }
        cycles.push(`${c.case} ${first}`);
      }
      console.log(`      ${target} ${name}: flash ${image.size.flash} B, RAM ${image.size.ram} B; cycles per invoke: ${cycles.join(', ')}`);
    } finally {
      await port.close();
      await session.stop();
    }
  }
});

describe('firmware projects: errors at generation time', () => {
  it('an operator the C runtime lacks (GATHER) names the operator', () => {
    const model = loadModel(modelBytes('hello_world_int8'));
    const [graph] = model.subgraphs;
    const operators = graph.operators.map((op, i) => (i === 1 ? { ...op, op: 'GATHER', builtinCode: 36 } : op)); // BuiltinOperator_GATHER = 36 (schema.fbs)
    const gather = writeModel({ ...model, subgraphs: [{ ...graph, operators }] });
    assert.throws(() => firmwareProject(gather, { board: findBoard('qemu-mps2-an385') }),
      (e: unknown) => e instanceof FirmwareProjectError && /the C runtime cannot run this model: .*operator 1 \(GATHER\b/.test(e.message));
  });

  it('person_detect on the Uno: does not fit, naming the RAM it needs and the 2 KB the board has', () => {
    assert.throws(() => firmwareProject(modelBytes('person_detect'), { board: findBoard('uno'), name: 'person' }),
      (e: unknown) => e instanceof FirmwareProjectError && /person on Arduino Uno: does not fit: .*needs [\d.]+ KB RAM, Arduino Uno has 2 KB/.test(e.message));
  });

  it('a corrupted tinyml_plan is refused rather than built into a firmware that fails on the device', () => {
    const planned = withTinymlPlan(loadModel(modelBytes('hello_world_int8')));
    const plan = Uint8Array.from(planned.metadata[TINYML_PLAN]);
    plan[plan.length - 1] ^= 1;
    const bytes = writeModel({ ...planned, metadata: { ...planned.metadata, [TINYML_PLAN]: plan } });
    assert.throws(() => firmwareProject(bytes, { board: findBoard('qemu-mps2-an385') }),
      (e: unknown) => e instanceof FirmwareProjectError && /tinyml_plan is corrupt \(.*CRC-32 mismatch/.test(e.message));
  });
});

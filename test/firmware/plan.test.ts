// tinyml_plan: the planned .tflite stays valid for our interpreter (goldens still match), the
// plan's numbers agree with hand calculations, corruption and unsupported ops give clear errors,
// and the C runtime agrees with the TS interpreter on random inputs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { kernelSources, opTableSource } from '../../lib/codegen/op-table.js';
import { buildTinymlPlan, C_KERNELS, readTinymlPlan, TINYML_PLAN, TinymlPlanError, withTinymlPlan } from '../../lib/codegen/plan/index.js';
import { Interpreter, OFFLINE_MEMORY_ALLOCATION, runFrames, seededInputs } from '../../lib/interpreter/index.js';
import { loadModel } from '../../lib/model/read.js';
import type { Model } from '../../lib/model/types.js';
import { writeModel } from '../../lib/model/write.js';
import { SHARED } from '../support/paths.js';
import { buildHostRuntime, haveGcc, runHost, tempDir } from './host-runtime.js';

const GOLDEN = path.join(SHARED, 'golden');
const MODELS = {
  hello_world_int8: 'models/tflm/examples/hello_world/models/hello_world_int8.tflite',
  micro_speech_quantized: 'models/tflm/examples/micro_speech/models/micro_speech_quantized.tflite',
  person_detect: 'models/tflm/models/person_detect.tflite',
  network_model: 'models/tflm/examples/network_tester/network_model.tflite',
  keyword_scrambled_8bit: 'models/tflm/models/keyword_scrambled_8bit.tflite',
  trained_lstm_int8: 'models/tflm/examples/mnist_lstm/trained_lstm_int8.tflite',
  micro_speech_lstm: 'models/tflm/xtensa/examples/micro_speech_lstm/micro_speech_lstm.tflite',
} as const;

interface GoldenCase { case: string; inputs: { file: string }[]; outputs: { file: string }[] }
interface GoldenModel { arena_used_bytes_x86_64: number; cases: GoldenCase[] }

const load = (relative: string): Model => loadModel(fs.readFileSync(path.join(SHARED, relative)));
const golden = (name: string): GoldenModel => JSON.parse(fs.readFileSync(path.join(GOLDEN, `${name}.json`), 'utf8')) as GoldenModel;
const bytesOf = (file: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(GOLDEN, file)));

/** The planned model written and read back, with its plan bytes replaced by `edit`. */
function withEditedPlan(model: Model, edit: (plan: Uint8Array) => Uint8Array): Model {
  const planned = loadModel(writeModel(withTinymlPlan(model)));
  return { ...planned, metadata: { ...planned.metadata, [TINYML_PLAN]: edit(new Uint8Array(planned.metadata[TINYML_PLAN])) } };
}

describe('tinyml_plan', () => {
  for (const [name, relative] of Object.entries(MODELS)) {
    it(`${name}: the planned model still gives TFLM's goldens in our interpreter`, () => {
      const planned = loadModel(writeModel(withTinymlPlan(load(relative))));
      assert.ok(planned.metadata[TINYML_PLAN] !== undefined && planned.metadata[OFFLINE_MEMORY_ALLOCATION] !== undefined);
      for (const c of golden(name).cases) {
        const interpreter = new Interpreter(planned);
        interpreter.allocate();
        const { outputs } = runFrames(interpreter, c.inputs.map((i) => bytesOf(i.file)));
        c.outputs.forEach((o, k) => assert.deepEqual(Buffer.from(outputs[k]), Buffer.from(bytesOf(o.file)), `${name} ${c.case}`));
      }
    });

    it(`${name}: arena no larger than TFLM's arena_used_bytes`, () => {
      const plan = readTinymlPlan(withTinymlPlan(load(relative)));
      assert.ok(plan.arenaSize > 0 && plan.arenaSize <= golden(name).arena_used_bytes_x86_64, `${plan.arenaSize} bytes`);
    });
  }

  it('hello_world_int8: three FULLY_CONNECTED records, input 1 x 16 units', () => {
    const plan = readTinymlPlan(withTinymlPlan(load(MODELS.hello_world_int8)));
    assert.deepEqual(plan.operators.map((op) => op.kernelId), [1, 1, 1].map(() => C_KERNELS.FULLY_CONNECTED.id));
    // Layout (docs/tinyml-plan.md): [4] batches, [5] depth, [6] units; the first layer is 1 -> 16.
    assert.deepEqual(plan.operators[0].params.slice(4, 7), [1, 1, 16]);
  });

  it('person_detect operator 0: 96x96 input, 3x3 window, stride 2, SAME -> 48x48 and padding 0', () => {
    const plan = readTinymlPlan(withTinymlPlan(load(MODELS.person_detect)));
    const p = plan.operators[0].params;
    assert.equal(plan.operators[0].kernelId, C_KERNELS.DEPTHWISE_CONV_2D.id);
    // ComputeOutSize SAME: ceil(96 / 2) = 48; padding: max(0, (48 - 1) * 2 + 3 - 96) / 2 = 1 / 2 -> 0.
    assert.deepEqual([p[5], p[6], p[8], p[9], p[11], p[12], p[13], p[14], p[17], p[18]], [96, 96, 48, 48, 3, 3, 2, 2, 0, 0]);
  });

  describe('errors', () => {
    const model = (): Model => load(MODELS.hello_world_int8);
    it('a model without a plan', () => {
      assert.throws(() => readTinymlPlan(model()), /no tinyml_plan metadata; generate it with withTinymlPlan/);
    });
    it('a flipped byte: CRC-32 mismatch', () => {
      const bad = withEditedPlan(model(), (p) => { p[p.length - 1] ^= 1; return p; });
      assert.throws(() => readTinymlPlan(bad), (e: unknown) => e instanceof TinymlPlanError && /CRC-32 mismatch/.test(e.message));
    });
    it('a truncated plan: length mismatch', () => {
      assert.throws(() => readTinymlPlan(withEditedPlan(model(), (p) => p.subarray(0, p.length - 4))), /header says \d+ bytes, the buffer has \d+/);
    });
    it('a bad magic and a future version', () => {
      assert.throws(() => readTinymlPlan(withEditedPlan(model(), (p) => { p[0] = 0; return p; })), /bad magic/);
      assert.throws(() => readTinymlPlan(withEditedPlan(model(), (p) => { p[4] = 9; return p; })), /version 9; this build reads version 1/);
    });
    it('an operator the C runtime lacks is refused at generation time', () => {
      // hello_world's first FULLY_CONNECTED relabelled as an op with no C kernel.
      const model = load(MODELS.hello_world_int8);
      const [graph] = model.subgraphs;
      const operators = graph.operators.map((op, i) => (i === 0 ? { ...op, op: 'BATCH_MATMUL', builtinOptions: null } : op));
      assert.throws(() => buildTinymlPlan({ ...model, subgraphs: [{ ...graph, operators }] }),
        /operator 0 \(BATCH_MATMUL\): the C runtime has no kernel for it; supported: FULLY_CONNECTED, CONV_2D, .*UNIDIRECTIONAL_SEQUENCE_LSTM/);
    });
    it('a constant where the kernel reads an activation is refused (AVR keeps constants in flash)', () => {
      // (ADD/SUB/MUL read constant inputs through TM_READ_*; FULLY_CONNECTED's input is a plain load.)
      const model = load(MODELS.hello_world_int8);
      const [graph] = model.subgraphs;
      const tensors = graph.tensors.map((t, i) => (i === graph.inputs[0] ? { ...t, data: new Uint8Array(1) } : t));
      const constant: Model = { ...model, subgraphs: [{ ...graph, tensors, inputs: [] }] };
      assert.throws(() => withTinymlPlan(constant), /operator 0 \(FULLY_CONNECTED\): input is a constant tensor/);
    });
    it('a float model is refused naming the tensor', () => {
      assert.throws(() => withTinymlPlan(load('models/tflm/examples/hello_world/models/hello_world_float.tflite')),
        /operator 0 \(FULLY_CONNECTED\): input is float32; the C runtime supports int8 here/);
    });
  });
});

describe('firmware: C runtime on the host', function () {
  before(function () {
    if (!haveGcc()) this.skip();
  });

  async function hostFor(name: keyof typeof MODELS, mutate?: (m: Model) => Model): Promise<{ exe: string; file: string; dir: string }> {
    const dir = tempDir(name);
    const planned = withTinymlPlan(load(MODELS[name]));
    const file = path.join(dir, 'model.tflite');
    fs.writeFileSync(file, writeModel(mutate ? mutate(planned) : planned));
    return { exe: await buildHostRuntime(dir, readTinymlPlan(planned)), file, dir };
  }

  for (const name of Object.keys(MODELS) as (keyof typeof MODELS)[]) {
    // keyword_scrambled_8bit (SVDF) and the LSTMs keep state: 4 frames check that it carries over.
    it(`${name}: equals the TS interpreter on random inputs (seeds 1-3)`, async () => {
      const { exe, file, dir } = await hostFor(name);
      const model = loadModel(fs.readFileSync(file));
      for (const seed of [1, 2, 3]) {
        const interpreter = new Interpreter(model);
        interpreter.allocate();
        const inputs = seededInputs(interpreter, seed, name === 'person_detect' ? 1 : 4);
        assert.equal(inputs.length, 1, 'these models have one input');
        const expected = runFrames(interpreter, inputs).outputs;
        assert.equal(expected.length, 1);
        assert.deepEqual(await runHost(exe, file, inputs[0]), Buffer.from(expected[0]), `seed ${seed}`);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }

  it('float32 input edges (QUANTIZE by thresholds): equals the TS interpreter on +-0, denormals, +-inf, huge and half-way values', async () => {
    const dir = tempDir('floatio');
    const file = path.join(dir, 'model.tflite');
    const planned = withTinymlPlan(load('models/keras/mlp_wide.int8_floatio.tflite'));
    fs.writeFileSync(file, writeModel(planned));
    const exe = await buildHostRuntime(dir, readTinymlPlan(planned));
    const interpreter = new Interpreter(loadModel(fs.readFileSync(file)));
    interpreter.allocate();
    const width = interpreter.input(0).elementCount;
    const quantized = planned.subgraphs[0].tensors[planned.subgraphs[0].operators[0].outputs[0]];
    const scale = quantized.quantization?.scale[0] ?? 1;
    const zeroPoint = quantized.quantization?.zeroPoint[0] ?? 0;
    const specials = [0, -0, 1e-45, -1e-45, 1.1754942e-38, Infinity, -Infinity, 3e38, -3e38, 1e9, -1e9];
    // x = (k + 1/2) * scale rounded to float32, near every rounding boundary of the int8 range.
    const halfWays = Array.from({ length: 261 }, (_, i) => Math.fround((i - 130 - zeroPoint + 0.5) * scale));
    const values = [...specials, ...halfWays];
    const frames = new Float32Array(values.length * width);
    values.forEach((v, f) => frames.fill(v, f * width, (f + 1) * width));
    const bytes = new Uint8Array(frames.buffer);
    const expected = runFrames(interpreter, [bytes]).outputs[0];
    assert.deepEqual(await runHost(exe, file, bytes), Buffer.from(expected));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the op table lists only the model\'s kernels, and the others are not linked', async () => {
    const plan = readTinymlPlan(withTinymlPlan(load(MODELS.micro_speech_quantized)));
    // micro_speech: RESHAPE (COPY, 7), DEPTHWISE_CONV_2D (3), FULLY_CONNECTED (1), SOFTMAX (6).
    assert.deepEqual(kernelSources(plan), ['kernels/tm_fully_connected.c', 'kernels/tm_depthwise_conv_2d.c', 'kernels/tm_softmax.c', 'kernels/tm_copy.c']);
    assert.match(opTableSource(plan), /\{1, tm_kernel_fully_connected\},[^]*\{3, tm_kernel_depthwise_conv_2d\},[^]*\{6, tm_kernel_softmax\},[^]*\{7, tm_kernel_copy\},[^]*tm_op_table_size = 4;/);
    const { exe, dir } = await hostFor('micro_speech_quantized');
    const symbols = execFileSync('nm', [exe], { encoding: 'utf8' });
    assert.match(symbols, /tm_kernel_depthwise_conv_2d/);
    assert.doesNotMatch(symbols, /tm_kernel_conv_2d|tm_kernel_lstm|tm_kernel_svdf/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a corrupted plan: tm_init fails with "corrupt tinyml_plan"', async () => {
    const { exe, file, dir } = await hostFor('hello_world_int8', (m) => {
      const plan = new Uint8Array(m.metadata[TINYML_PLAN]);
      plan[plan.length - 1] ^= 0x40;
      return { ...m, metadata: { ...m.metadata, [TINYML_PLAN]: plan } };
    });
    await assert.rejects(runHost(exe, file, new Uint8Array(1)), /init: corrupt tinyml_plan/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a model without a plan: tm_init fails with "no tinyml_plan metadata"', async () => {
    const { exe, file, dir } = await hostFor('hello_world_int8', (m) => {
      const { [TINYML_PLAN]: _dropped, ...metadata } = m.metadata;
      return { ...m, metadata };
    });
    await assert.rejects(runHost(exe, file, new Uint8Array(1)), /init: no tinyml_plan metadata/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('firmware whose op table lacks a kernel the model uses: tm_init names the operator', async () => {
    const hello = await hostFor('hello_world_int8');
    const speech = await hostFor('micro_speech_quantized');
    // hello_world's op table has FULLY_CONNECTED only; micro_speech starts with RESHAPE.
    await assert.rejects(runHost(hello.exe, speech.file, new Uint8Array(1960)), /init: kernel missing from the op table at operator 0/);
    for (const d of [hello.dir, speech.dir]) fs.rmSync(d, { recursive: true, force: true });
  });
});

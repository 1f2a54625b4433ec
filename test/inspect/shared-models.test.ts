// inspect() over every model in ../shared/models, checked against what others recorded about them:
// models/tflm/SOURCES.md (op codes, counts, I/O), golden/tf/*.json (TensorFlow's own reading of
// the Keras-derived flatbuffers), the TFLM oracle's verdicts (golden/README.md,
// keras_tflm_check.json) and figures computed by hand from the Keras architectures.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { inspect, type InspectReport, type IoTensor } from '../../lib/inspect/index.js';
import { loadModel } from '../../lib/model/read.js';
import { SHARED, sharedModelPaths, sharedName } from '../support/paths.js';

const reports = new Map<string, InspectReport>();

function reportOf(file: string): InspectReport {
  let report = reports.get(file);
  if (report === undefined) {
    const bytes = fs.readFileSync(file);
    report = inspect(loadModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)), { byteLength: bytes.byteLength });
    reports.set(file, report);
  }
  return report;
}

function assertPlainJson(value: unknown, where: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    assert.ok(Number.isFinite(value), `${where} is ${value}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertPlainJson(v, `${where}[${i}]`));
    return;
  }
  assert.equal(typeof value, 'object', `${where} is a ${typeof value}`);
  assert.equal(Object.getPrototypeOf(value), Object.prototype, `${where} is not a plain object`);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) assertPlainJson(v, `${where}.${k}`);
}

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const tflm = (rel: string): string => path.join(SHARED, 'models/tflm', rel);
const keras = (name: string): string => path.join(SHARED, 'models/keras', name);

describe('inspect over ../shared/models', function () {
  describe('every model: plain JSON, consistent totals', function () {
    for (const file of sharedModelPaths()) {
      it(sharedName(file), function () {
        const report = reportOf(file);
        assertPlainJson(report, 'report');
        assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
        assert.equal(report.model.flashBytes, fs.statSync(file).size);

        const rows = report.ops.operators;
        assert.equal(Object.values(report.ops.histogram).reduce((a, b) => a + b, 0), rows.length);
        assert.equal(report.macs.total, rows.reduce((sum, r) => sum + r.macs, 0));
        assert.ok(rows.every((r) => Number.isInteger(r.macs) && r.macs >= 0), 'MACs are whole and not negative');

        const constants = report.tensors.flatMap((sg) => sg.tensors.filter((t) => t.constant));
        assert.equal(report.parameters.tensors, constants.length);
        assert.equal(report.parameters.bytes, constants.reduce((sum, t) => sum + t.bytes, 0));
        assert.equal(report.parameters.elements, constants.reduce((sum, t) => sum + product(t.shape), 0));
        assert.ok(report.parameters.bytes <= fs.statSync(file).size, 'constants fit in the file');

        for (const row of rows) {
          for (const operand of [...row.inputs, ...row.outputs]) {
            if (operand.tensor < 0) continue;
            const t = report.tensors[row.subgraph].tensors[operand.tensor];
            assert.deepEqual([operand.shape, operand.dtype], [t.shape, t.dtype]);
          }
        }
        assert.equal(report.tflm.supported, rows.every((r) => r.tflm.problem === null));
        assert.equal(report.tflm.supported, report.tflm.problems.length === 0);
      });
    }
  });

  describe('vs models/tflm/SOURCES.md', function () {
    const sources = fs.readFileSync(path.join(SHARED, 'models/tflm/SOURCES.md'), 'utf8');

    // "### examples/.../x.tflite" ... "- op codes: A, B; operators in subgraph 0: N; tensors: M"
    const described = [...sources.matchAll(/^### (\S+\.tflite)\n([\s\S]*?)(?=^##)/gm)].map(([, file, body]) => {
      const codes = /^- op codes: (.*); operators in subgraph 0: (\d+); tensors: (\d+)$/m.exec(body);
      const inputs = /^- input\(s\): (.*)$/m.exec(body);
      const outputs = /^- output\(s\): (.*)$/m.exec(body);
      assert.ok(codes && inputs && outputs, `SOURCES.md entry ${file} has op codes and I/O lines`);
      return { file, ops: new Set(codes[1].split(', ')), operators: Number(codes[2]), tensors: Number(codes[3]), inputs: inputs[1], outputs: outputs[1] };
    });

    // "int8[1, 1, 257] s=0.0685789138 zp=-128" or "float32[40]", several joined by "; "
    function assertIo(actual: IoTensor[], recorded: string, where: string): void {
      const expected = recorded.split('; ').map((text) => {
        const m = /^(\w+)\[([\d, ]*)\](?: s=(\S+) zp=(-?\d+))?$/.exec(text);
        assert.ok(m, `${where}: cannot read ${text}`);
        return { dtype: m[1], shape: m[2] === '' ? [] : m[2].split(', ').map(Number), scale: m[3] ? Number(m[3]) : null, zeroPoint: m[4] ? Number(m[4]) : null };
      });
      assert.equal(actual.length, expected.length, `${where} count`);
      expected.forEach((e, i) => {
        const a = actual[i];
        assert.deepEqual([a.dtype, a.shape], [e.dtype, e.shape], `${where}[${i}]`);
        assert.equal(a.zeroPoint, e.zeroPoint, `${where}[${i}] zero point`);
        if (e.scale === null) assert.equal(a.scale, null);
        else assert.ok(a.scale !== null && Math.abs(a.scale - e.scale) <= 1e-8 * e.scale, `${where}[${i}] scale ${a.scale} vs ${e.scale}`);
      });
    }

    it('describes the example models', function () {
      assert.ok(described.length >= 17, `${described.length} entries`);
    });

    for (const entry of described) {
      it(entry.file, function () {
        const report = reportOf(tflm(entry.file));
        // "op codes" is the file's operator_codes table, which may hold codes no operator uses
        // (network_model lists QUANTIZE and DEQUANTIZE for its one DEPTHWISE_CONV_2D).
        for (const op of Object.keys(report.ops.histogram)) assert.ok(entry.ops.has(op), `${op} is not among ${[...entry.ops].join(', ')}`);
        assert.ok(Object.keys(report.ops.histogram).length > 0);
        assert.equal(report.ops.operators.filter((r) => r.subgraph === 0).length, entry.operators);
        assert.equal(report.tensors[0].tensors.length, entry.tensors);
        assertIo(report.io[0].inputs, entry.inputs, 'inputs');
        assertIo(report.io[0].outputs, entry.outputs, 'outputs');
      });
    }

    it('SEANet table: each model is its one op', function () {
      const rows = [...sources.matchAll(/^\| (\w+\/\w+\.tflite) \| (\d+) \| `[0-9a-f]+` \| (\w+) \|/gm)];
      assert.equal(rows.length, 127);
      for (const [, file, bytes, op] of rows) {
        const report = reportOf(tflm(`integration_tests/seanet/${file}`));
        assert.equal(report.model.flashBytes, Number(bytes), file);
        assert.deepEqual(report.ops.histogram, { [op]: 1 }, file);
      }
    });
  });

  describe('TFLM support vs what the TFLM oracle did', function () {
    it('the golden models: all run except person_detect_vela (ethos-u)', function () {
      const readme = fs.readFileSync(path.join(SHARED, 'golden/README.md'), 'utf8');
      const rows = [...readme.matchAll(/^\| (\w+) \| `(models\/\S+\.tflite)` \| (\d+|—) \|/gm)];
      assert.ok(rows.length >= 16);
      for (const [, name, model, arena] of rows) {
        const report = reportOf(path.join(SHARED, model));
        assert.equal(report.tflm.supported, arena !== '—', `${name}: ${report.tflm.problems.join('; ')}`);
      }
      assert.match(reportOf(tflm('models/person_detect_vela.tflite')).tflm.problems.join(), /ethos-u/);
    });

    it('the Keras-derived models: refused exactly where the oracle failed', function () {
      const check = JSON.parse(fs.readFileSync(path.join(SHARED, 'golden/keras_tflm_check.json'), 'utf8')) as { models: Array<{ model: string; tflm?: string }> };
      assert.ok(check.models.length >= 31);
      for (const entry of check.models) {
        const report = reportOf(path.join(SHARED, entry.model));
        const failed = entry.tflm?.startsWith('fails') ?? false;
        assert.equal(report.tflm.supported, !failed, `${entry.model}: ${report.tflm.problems.join('; ')}`);
      }
      assert.match(reportOf(keras('mlp_wide.dynamic.tflite')).tflm.problems.join(), /FULLY_CONNECTED float32 input with int8 weights \(hybrid\)/);
    });

    it('the SEANet int16 layers all run', function () {
      const seanet = sharedModelPaths().filter((f) => f.includes(`${path.sep}seanet${path.sep}`));
      assert.equal(seanet.length, 127);
      for (const file of seanet) assert.deepEqual(reportOf(file).tflm.problems, [], sharedName(file));
    });
  });

  describe('vs golden/tf (TensorFlow\'s own reading of the Keras-derived flatbuffers)', function () {
    interface TfTensor { name: string; type: string; shape: number[]; buffer_bytes: number; quantization: { scale: number[] | null; zero_point: number[] | null; quantized_dimension: number } | null }
    interface TfVariant { file: string; flatbuffer: { schema_version: number; subgraphs: Array<{ tensors: TfTensor[]; operators: Array<{ builtin: string; version: number }> }>; signature_defs: Array<{ signature_key: string }> } }

    const dir = path.join(SHARED, 'golden/tf');
    const variants = fs.readdirSync(dir).filter((f) => /^[a-z0-9_]+\.json$/.test(f) && !f.endsWith('eval_labels.json'))
      .flatMap((f) => Object.values((JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { variants: Record<string, TfVariant> }).variants));

    it('has every Keras-derived .tflite', function () {
      assert.equal(variants.length, 31);
    });

    for (const variant of variants) {
      it(variant.file, function () {
        const report = reportOf(keras(variant.file));
        const fb = variant.flatbuffer;
        assert.equal(report.model.schemaVersion, fb.schema_version);
        assert.deepEqual(report.signatureDefs.map((s) => s.key), fb.signature_defs.map((s) => s.signature_key));
        const ops = fb.subgraphs[0].operators;
        assert.deepEqual(report.ops.operators.map((r) => [r.op, r.version]), ops.map((o) => [o.builtin, o.version]));

        const rows = report.tensors[0].tensors;
        const tfTensors = fb.subgraphs[0].tensors;
        assert.equal(rows.length, tfTensors.length);
        tfTensors.forEach((t, i) => {
          const row = rows[i];
          assert.deepEqual([row.name, row.dtype, row.shape, row.constant], [t.name, t.type.toLowerCase(), t.shape, t.buffer_bytes > 0], `tensor ${i}`);
          if (row.constant) assert.equal(row.bytes, t.buffer_bytes, `tensor ${i} bytes`);
          const scales = t.quantization?.scale ?? [];
          if (scales.length === 0) {
            assert.equal(row.quantization, null, `tensor ${i} quantization`);
          } else {
            assert.ok(row.quantization);
            assert.equal(row.quantization.channels, scales.length);
            assert.equal(row.quantization.scaleMin, Math.min(...scales));
            assert.equal(row.quantization.scaleMax, Math.max(...scales));
            assert.equal(row.quantization.zeroPointMin, Math.min(...(t.quantization?.zero_point ?? [0])));
            assert.equal(row.quantization.quantizedDimension, t.quantization?.quantized_dimension);
          }
        });
        assert.equal(report.parameters.bytes, tfTensors.reduce((sum, t) => sum + t.buffer_bytes, 0));
      });
    }
  });

  describe('figures computed by hand from the architectures', function () {
    // Keras parameter counts of models/keras/README.md's architectures (BatchNorm folded away).
    const kerasParameters: Record<string, number> = {
      // Dense(16) on 1 input, Dense(16), Dense(1): weights + biases
      sine_mlp: (1 * 16 + 16) + (16 * 16 + 16) + (16 * 1 + 1),
      // Conv1D(8, 5) on 3 channels, Conv1D(16, 3) on 8, Dense(4) on 16
      accel_cnn1d: (5 * 3 * 8 + 8) + (3 * 8 * 16 + 16) + (16 * 4 + 4),
      // Conv2D(16, (10,4)) on 1 channel, DepthwiseConv2D 3x3 x16, Conv2D(16, 1), Dense(4) on 5*1*16
      kws_dscnn_tiny: (10 * 4 * 16 + 16) + (3 * 3 * 16 + 16) + (16 * 16 + 16) + (80 * 4 + 4),
      dense_autoencoder: (32 * 16 + 16) + (16 * 8 + 8) + (8 * 16 + 16) + (16 * 32 + 32),
      // three Dense(8) on 8, Dense(2) on the 16-wide concatenation
      misc_acts: 3 * (8 * 8 + 8) + (16 * 2 + 2),
      mlp_wide: (64 * 128 + 128) + (128 * 64 + 64) + (64 * 10 + 10),
    };

    for (const [name, count] of Object.entries(kerasParameters)) {
      it(`${name}.float: ${count} float32 parameters`, function () {
        assert.equal(reportOf(keras(`${name}.float.tflite`)).parameters.byDtype.float32.elements, count);
      });
    }

    it('mlp_wide.dynamic: weights of 1024+ elements become int8, the rest stays float32', function () {
      const { byDtype } = reportOf(keras('mlp_wide.dynamic.tflite')).parameters;
      assert.equal(byDtype.int8.elements, 64 * 128 + 128 * 64);
      assert.equal(byDtype.float32.elements, 128 + 64 + (64 * 10 + 10));
    });

    it('TFLM hello_world: 321 parameters, 288 MACs', function () {
      for (const file of ['examples/hello_world/models/hello_world_float.tflite', 'examples/hello_world/models/hello_world_int8.tflite']) {
        const report = reportOf(tflm(file));
        assert.equal(report.parameters.elements, 16 + 16 + 256 + 16 + 16 + 1, file);
        assert.equal(report.macs.total, 16 + 256 + 16, file);
      }
    });

    const kerasMacs: Record<string, number> = {
      'sine_mlp.float': 16 + 16 * 16 + 16,
      // QUANTIZE of the 1 input, DEQUANTIZE of the 1 output
      'sine_mlp.int8_floatio': 16 + 16 * 16 + 16 + 1 + 1,
      'dense_autoencoder.float': 32 * 16 + 16 * 8 + 8 * 16 + 16 * 32,
      'mlp_wide.float': 64 * 128 + 128 * 64 + 64 * 10 + 10, // + SOFTMAX over 10
      // conv 124x8 outputs x 5x3 taps; max pool 62x8 outputs x 2; conv 60x16 x 3x8; MEAN over 60x16;
      // dense 16x4; softmax 4
      'accel_cnn1d.float': 124 * 8 * 5 * 3 + 62 * 8 * 2 + 60 * 16 * 3 * 8 + 60 * 16 + 16 * 4 + 4,
      // conv 25x5x16 x 10x4x1; depthwise 25x5x16 x 3x3; 1x1 conv 25x5x16 x 16; avg pool 5x1x16 x 5x5;
      // dense 80x4; softmax 4
      'kws_dscnn_tiny.float': 25 * 5 * 16 * 40 + 25 * 5 * 16 * 9 + 25 * 5 * 16 * 16 + 5 * 16 * 25 + 80 * 4 + 4,
      'kws_dscnn_tiny.int8': 25 * 5 * 16 * 40 + 25 * 5 * 16 * 9 + 25 * 5 * 16 * 16 + 5 * 16 * 25 + 80 * 4 + 4,
      // FC 8x8, LEAKY_RELU 8, FC 8x8, TANH 8, FC 8x8, LOGISTIC 8, FC 16x2
      'misc_acts.float': 64 + 8 + 64 + 8 + 64 + 8 + 32,
    };

    for (const [name, macs] of Object.entries(kerasMacs)) {
      it(`${name}: ${macs} MACs`, function () {
        const report = reportOf(keras(`${name}.tflite`));
        assert.deepEqual(report.macs.notEstimated, []);
        assert.equal(report.macs.total, macs);
      });
    }

    it('micro_speech tiny_conv: 10x8 depthwise stride 2 over 49x40, dense 4000 -> 4', function () {
      // DEPTHWISE_CONV_2D 8 channels -> [1,25,20,8]: 25*20*8 outputs x 10*8 taps; FC 4000 x 4;
      // SOFTMAX over 4; RESHAPE nothing.
      const report = reportOf(tflm('examples/micro_speech/models/micro_speech_quantized.tflite'));
      assert.deepEqual(report.ops.operators.map((r) => r.macs), [0, 25 * 20 * 8 * 10 * 8, 4000 * 4, 4]);
    });
  });
});

// The graph our full-integer quantizer writes, against the graph TF 2.21 wrote for the same
// float model: op sequence and operator-code versions (golden/tf NAME.json op_versions), I/O
// tensors and types, metadata; and what TFLM needs (no float tensor left in an int8 model).
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/interpreter.js';
import { loadModel } from '../../lib/model/read.js';
import type { Model } from '../../lib/model/types.js';
import { writeModel } from '../../lib/model/write.js';
import { quantizeFullInteger } from '../../lib/quantize/full-integer.js';
import type { QuantizeOptions } from '../../lib/quantize/types.js';
import {
  goldenJson, goldenSamples, INT16X8_MODEL_NAMES, KERAS_MODEL_NAMES, kerasModel, meanAbsError, runModel, top1Agreements,
} from './support.js';

function quantizeGolden(name: string, options: Omit<QuantizeOptions, 'representative'>): Model {
  const floatModel = loadModel(kerasModel(name, 'float'));
  const result = quantizeFullInteger(floatModel, { ...options, representative: goldenSamples(name, 'representative') });
  return loadModel(writeModel(result.model));
}

function opVersions(model: Model): [string, number][] {
  return model.subgraphs[0].operators.map((op) => [op.op, op.version]);
}

function metadataText(model: Model, key: string): string {
  return new TextDecoder().decode(model.metadata[key]).replace(/\0+$/, '');
}

describe('quantize: full-integer graphs as TF 2.21 writes them', function () {
  this.timeout(120000);
  for (const name of KERAS_MODEL_NAMES) {
    it(`${name} int8: ops and versions, I/O types, min_runtime_version equal TF's; no float tensor left`, () => {
      const golden = goldenJson(name);
      const ours = quantizeGolden(name, { mode: 'int8', perChannelFullyConnected: true });
      const tf = loadModel(kerasModel(name, 'int8'));
      assert.deepEqual(opVersions(ours), golden.variants.int8?.op_versions);
      assert.equal(metadataText(ours, 'min_runtime_version'), metadataText(tf, 'min_runtime_version'));
      const main = ours.subgraphs[0];
      for (const t of [...main.inputs, ...main.outputs]) assert.equal(main.tensors[t].dtype, 'int8');
      const floats = main.tensors.filter((t) => t.dtype === 'float32').map((t) => t.name);
      assert.deepEqual(floats, []);
      // Every float tensor name survives, so the report can pair tensors by name.
      const names = new Set(main.tensors.map((t) => t.name));
      for (const t of loadModel(kerasModel(name, 'float')).subgraphs[0].tensors) assert.ok(names.has(t.name), t.name);
    });

    it(`${name} int8 with float I/O: the ops of TF's int8_floatio (QUANTIZE first, DEQUANTIZE last), size within 3%`, () => {
      const golden = goldenJson(name);
      const ours = quantizeGolden(name, { mode: 'int8', perChannelFullyConnected: true, inputType: 'float32', outputType: 'float32' });
      assert.deepEqual(opVersions(ours), golden.variants.int8_floatio?.op_versions);
      const main = ours.subgraphs[0];
      assert.equal(main.tensors[main.inputs[0]].dtype, 'float32');
      assert.equal(main.tensors[main.outputs[0]].dtype, 'float32');
      const size = writeModel(ours).length;
      const tfSize = kerasModel(name, 'int8_floatio').length;
      // The writers lay files out differently (TF gives every activation tensor an empty buffer
      // of its own, ours shares buffer 0; padding differs): misc_acts comes out 2.1% smaller.
      assert.ok(Math.abs(size / tfSize - 1) <= 0.03, `${size} bytes vs TF's ${tfSize}`);
      // Error against the float model no worse than TF's int8_floatio model's.
      const evaluation = goldenSamples(name, 'eval');
      const reference = runModel(loadModel(kerasModel(name, 'float')), evaluation);
      const mae = meanAbsError(runModel(ours, evaluation), reference);
      const tfMae = meanAbsError(runModel(kerasModel(name, 'int8_floatio'), evaluation), reference);
      assert.ok(mae <= 1.1 * tfMae, `MAE ${mae} vs TF's ${tfMae}`);
    });
  }

  for (const name of INT16X8_MODEL_NAMES) {
    it(`${name} int16x8: ops and versions, int64 biases, min_runtime_version equal TF's`, () => {
      const golden = goldenJson(name);
      const ours = quantizeGolden(name, { mode: 'int16x8', perChannelFullyConnected: true, inputType: 'float32', outputType: 'float32' });
      assert.deepEqual(opVersions(ours), golden.variants.int16x8?.op_versions);
      const tf = loadModel(kerasModel(name, 'int16x8'));
      assert.equal(metadataText(ours, 'min_runtime_version'), metadataText(tf, 'min_runtime_version'));
      const main = ours.subgraphs[0];
      for (const op of main.operators) {
        if (op.op === 'FULLY_CONNECTED' || op.op === 'CONV_2D' || op.op === 'DEPTHWISE_CONV_2D') {
          assert.equal(main.tensors[op.inputs[0]].dtype, 'int16');
          assert.equal(main.tensors[op.inputs[2]].dtype, 'int64');
        }
      }
    });
  }

  it('uint8 I/O: QUANTIZE uint8 -> int8 first and int8 -> uint8 last, zero points + 128, same outputs', () => {
    const name = 'dense_autoencoder';
    const ours = quantizeGolden(name, { mode: 'int8', perChannelFullyConnected: true, inputType: 'uint8', outputType: 'uint8' });
    const int8Io = quantizeGolden(name, { mode: 'int8', perChannelFullyConnected: true });
    const main = ours.subgraphs[0];
    const ops = main.operators.map((op) => op.op);
    assert.deepEqual([ops[0], ops[ops.length - 1]], ['QUANTIZE', 'QUANTIZE']);
    const input = main.tensors[main.inputs[0]];
    const int8Input = int8Io.subgraphs[0].tensors[int8Io.subgraphs[0].inputs[0]];
    assert.equal(input.dtype, 'uint8');
    assert.equal(input.quantization?.zeroPoint[0], (int8Input.quantization?.zeroPoint[0] ?? NaN) + 128);
    assert.equal(input.quantization?.scale[0], int8Input.quantization?.scale[0]);
    const floatModel = loadModel(kerasModel(name, 'float'));
    const floatIo = quantizeFullInteger(floatModel, {
      mode: 'int8', representative: goldenSamples(name, 'representative'), inputType: 'float32', outputType: 'uint8',
    });
    // The report lists tensors as the model has them: no entry for the float input, the uint8 output's zero point.
    const entries = new Map(floatIo.tensors.map((e) => [e.tensor, e]));
    const fmain = floatIo.model.subgraphs[0];
    assert.equal(entries.get(fmain.inputs[0]), undefined);
    assert.equal(entries.get(fmain.outputs[0])?.dtype, 'uint8');
    assert.equal(entries.get(fmain.outputs[0])?.zeroPoint[0], fmain.tensors[fmain.outputs[0]].quantization?.zeroPoint[0]);
    for (const e of floatIo.tensors) assert.equal(e.name, fmain.tensors[e.tensor].name);
    const evaluation = goldenSamples(name, 'eval').slice(0, 10);
    assert.ok(meanAbsError(runModel(ours, evaluation), runModel(int8Io, evaluation)) < 1e-9);
  });

  it('CONVERSION_METADATA records the optimization mode (PTQ_FULL_INTEGER = 1003, PTQ_INT16 = 1004 as in TF\'s files)', () => {
    // TF's int8 and int16x8 sine_mlp files hold the mode as an int32 vector [1003] / [1004]
    // (golden/tf/sine_mlp.json flatbuffer.metadata: "...01000000eb030000..." / "...ec030000...").
    const hex = (m: Model): string => Buffer.from(m.metadata.CONVERSION_METADATA).toString('hex');
    assert.ok(hex(quantizeGolden('sine_mlp', { mode: 'int8' })).includes('01000000eb030000'));
    assert.ok(hex(quantizeGolden('sine_mlp', { mode: 'int16x8' })).includes('01000000ec030000'));
    assert.ok(hex(quantizeGolden('sine_mlp', { mode: 'int8' })).includes(Buffer.from('2.21.0').toString('hex')));
    // Byte for byte TF's buffer, but for the 8 bytes of the model hash (TF hashes its source model).
    for (const [mode, variant] of [['int8', 'int8'], ['int16x8', 'int16x8']] as const) {
      for (const name of ['sine_mlp', 'kws_dscnn_tiny']) {
        const ours = quantizeGolden(name, { mode }).metadata.CONVERSION_METADATA;
        const tf = loadModel(kerasModel(name, variant)).metadata.CONVERSION_METADATA;
        assert.equal(ours.length, tf.length);
        const differing = Array.from(ours.keys()).filter((i) => ours[i] !== tf[i]);
        assert.ok(differing.length <= 8 && differing[differing.length - 1] - differing[0] < 8, `${name} ${mode}: bytes ${differing.join(',')} differ`);
      }
    }
  });

  it('the int8 models run in our interpreter with TFLM\'s kernels (no op is left unsupported)', () => {
    for (const name of KERAS_MODEL_NAMES) {
      const interpreter = new Interpreter(quantizeGolden(name, { mode: 'int8' }));
      interpreter.allocate();
      interpreter.invoke();
    }
  });

  it('perChannel: false gives CONV_2D / DEPTHWISE_CONV_2D one weight scale; kws_dscnn_tiny still agrees on top-1', () => {
    const ours = quantizeGolden('kws_dscnn_tiny', { mode: 'int8', perChannel: false });
    const main = ours.subgraphs[0];
    for (const op of main.operators.filter((o) => o.op === 'CONV_2D' || o.op === 'DEPTHWISE_CONV_2D')) {
      assert.equal(main.tensors[op.inputs[1]].quantization?.scale.length, 1);
      assert.equal(main.tensors[op.inputs[2]].quantization?.scale.length, 1);
    }
    const evaluation = goldenSamples('kws_dscnn_tiny', 'eval');
    const reference = runModel(loadModel(kerasModel('kws_dscnn_tiny', 'float')), evaluation);
    assert.ok(top1Agreements(runModel(ours, evaluation), reference) >= 49);
  });

  it('reports progress: calibrate over every sample, then quantize', () => {
    const floatModel = loadModel(kerasModel('sine_mlp', 'float'));
    const seen: string[] = [];
    const representative = goldenSamples('sine_mlp', 'representative');
    quantizeFullInteger(floatModel, {
      mode: 'int8', representative, onProgress: (p) => seen.push(`${p.stage} ${p.done}/${p.total}`),
    });
    assert.equal(seen.filter((s) => s.startsWith('calibrate')).length, 100);
    assert.equal(seen[99], 'calibrate 100/100');
    assert.ok(seen.slice(100).every((s) => s.startsWith('quantize')) && seen.length > 100);
  });
});

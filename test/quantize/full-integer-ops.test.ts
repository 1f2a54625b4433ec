// Every op the full-integer quantizer accepts, on a small float model built here: quantized in
// int8 and int16x8 (where accepted), the result runs in our interpreter (TFLM's integer kernels)
// and its outputs stay close to the float model's, and the spec's parameter rules hold.
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/interpreter.js';
import { ModelBuilder, type TensorIndex } from '../../lib/model/builder.js';
import {
  AddOptionsT, ConcatenationOptionsT, ExpandDimsOptionsT, L2NormOptionsT, LeakyReluOptionsT, LogSoftmaxOptionsT, MulOptionsT,
  PackOptionsT, Padding, PadOptionsT, Pool2DOptionsT, ReducerOptionsT, ReshapeOptionsT, SoftmaxOptionsT, SplitOptionsT,
  SqueezeOptionsT, StridedSliceOptionsT, SubOptionsT, TransposeOptionsT, UnpackOptionsT,
} from '../../lib/model/schema/tflite.js';
import type { Model } from '../../lib/model/types.js';
import { canQuantize } from '../../lib/quantize/op-rules.js';
import { quantizeFullInteger } from '../../lib/quantize/full-integer.js';
import type { Sample } from '../../lib/quantize/types.js';
import { runModel } from './support.js';

const SHAPE = [1, 4, 4, 4];

/** Builds x [1,4,4,4] -> (the op) -> output; `add` returns the output tensor. */
function model(add: (b: ModelBuilder, x: TensorIndex) => TensorIndex): Model {
  const b = new ModelBuilder();
  const x = b.addInput({ name: 'x', shape: SHAPE, dtype: 'float32' });
  b.addOutput(add(b, x));
  return b.build();
}

function act(b: ModelBuilder, name: string, shape: number[]): TensorIndex {
  return b.addTensor({ name, shape, dtype: 'float32' });
}

function unary(op: string, options?: ConstructorParameters<typeof Object>[0]) {
  return (b: ModelBuilder, x: TensorIndex): TensorIndex => {
    const y = act(b, op.toLowerCase(), SHAPE);
    b.addOperator(op, [x], [y], options === undefined ? {} : { builtinOptions: options as never });
    return y;
  };
}

function binary(op: string, options: object) {
  return (b: ModelBuilder, x: TensorIndex): TensorIndex => {
    const c = b.addConstant({ name: `${op}/c`, shape: [4], dtype: 'float32', data: Float32Array.of(0.5, -1, 2, 0.25) });
    const y = act(b, op.toLowerCase(), SHAPE);
    b.addOperator(op, [x, c], [y], { builtinOptions: options as never });
    return y;
  };
}

function withInt32(op: string, name: string, values: number[], shape: number[], outShape: number[], options: object) {
  return (b: ModelBuilder, x: TensorIndex): TensorIndex => {
    const c = b.addConstant({ name, shape, dtype: 'int32', data: Int32Array.from(values) });
    const y = act(b, op.toLowerCase(), outShape);
    b.addOperator(op, [x, c], [y], { builtinOptions: options as never });
    return y;
  };
}

const CASES: Record<string, (b: ModelBuilder, x: TensorIndex) => TensorIndex> = {
  ADD: binary('ADD', new AddOptionsT()),
  SUB: binary('SUB', new SubOptionsT()),
  MUL: binary('MUL', new MulOptionsT()),
  RELU: unary('RELU'),
  RELU6: unary('RELU6'),
  LEAKY_RELU: unary('LEAKY_RELU', new LeakyReluOptionsT(0.2)),
  HARD_SWISH: unary('HARD_SWISH'),
  LOGISTIC: unary('LOGISTIC'),
  TANH: unary('TANH'),
  SOFTMAX: unary('SOFTMAX', new SoftmaxOptionsT(1)),
  LOG_SOFTMAX: unary('LOG_SOFTMAX', new LogSoftmaxOptionsT()),
  L2_NORMALIZATION: unary('L2_NORMALIZATION', new L2NormOptionsT()),
  MAX_POOL_2D: (b, x) => {
    const y = act(b, 'pool', [1, 2, 2, 4]);
    b.addOperator('MAX_POOL_2D', [x], [y], { builtinOptions: new Pool2DOptionsT(Padding.VALID, 2, 2, 2, 2) });
    return y;
  },
  AVERAGE_POOL_2D: (b, x) => {
    const y = act(b, 'pool', [1, 2, 2, 4]);
    b.addOperator('AVERAGE_POOL_2D', [x], [y], { builtinOptions: new Pool2DOptionsT(Padding.VALID, 2, 2, 2, 2) });
    return y;
  },
  MEAN: withInt32('MEAN', 'axes', [1, 2], [2], [1, 4], new ReducerOptionsT(false)),
  RESHAPE: withInt32('RESHAPE', 'shape', [1, 64], [2], [1, 64], new ReshapeOptionsT([1, 64])),
  EXPAND_DIMS: withInt32('EXPAND_DIMS', 'axis', [0], [1], [1, 1, 4, 4, 4], new ExpandDimsOptionsT()),
  PAD: withInt32('PAD', 'paddings', [0, 0, 1, 1, 1, 1, 0, 0], [4, 2], [1, 6, 6, 4], new PadOptionsT()),
  TRANSPOSE: withInt32('TRANSPOSE', 'perm', [0, 3, 1, 2], [4], [1, 4, 4, 4], new TransposeOptionsT()),
  SQUEEZE: (b, x) => {
    const y = act(b, 'squeeze', [4, 4, 4]);
    b.addOperator('SQUEEZE', [x], [y], { builtinOptions: new SqueezeOptionsT([0]) });
    return y;
  },
  STRIDED_SLICE: (b, x) => {
    const begin = b.addConstant({ name: 'begin', shape: [4], dtype: 'int32', data: Int32Array.of(0, 1, 0, 0) });
    const end = b.addConstant({ name: 'end', shape: [4], dtype: 'int32', data: Int32Array.of(1, 3, 4, 4) });
    const strides = b.addConstant({ name: 'strides', shape: [4], dtype: 'int32', data: Int32Array.of(1, 1, 1, 1) });
    const y = act(b, 'slice', [1, 2, 4, 4]);
    b.addOperator('STRIDED_SLICE', [x, begin, end, strides], [y], { builtinOptions: new StridedSliceOptionsT() });
    return y;
  },
  CONCATENATION: (b, x) => {
    const r = act(b, 'tanh', SHAPE);
    b.addOperator('TANH', [x], [r]);
    const y = act(b, 'concat', [1, 4, 4, 8]);
    b.addOperator('CONCATENATION', [x, r], [y], { builtinOptions: new ConcatenationOptionsT(3) });
    return y;
  },
  PACK: (b, x) => {
    const r = act(b, 'relu', SHAPE);
    b.addOperator('RELU', [x], [r]);
    const y = act(b, 'pack', [2, 1, 4, 4, 4]);
    b.addOperator('PACK', [x, r], [y], { builtinOptions: new PackOptionsT(2, 0) });
    return y;
  },
  SPLIT: (b, x) => {
    const axis = b.addConstant({ name: 'axis', shape: [], dtype: 'int32', data: Int32Array.of(3) });
    const y0 = act(b, 'split0', [1, 4, 4, 2]);
    const y1 = act(b, 'split1', [1, 4, 4, 2]);
    b.addOperator('SPLIT', [axis, x], [y0, y1], { builtinOptions: new SplitOptionsT(2) });
    return y1;
  },
  UNPACK: (b, x) => {
    const outs = [0, 1, 2, 3].map((i) => act(b, `unpack${i}`, [1, 4, 4]));
    b.addOperator('UNPACK', [x], outs, { builtinOptions: new UnpackOptionsT(4, 1) });
    return outs[2];
  },
};

/** Deterministic inputs in [-3, 3). */
function samples(count: number, seed: number): Sample[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 6 - 3;
  };
  return Array.from({ length: count }, () => [Float32Array.from({ length: 64 }, next)]);
}

describe('quantize: full-integer over each accepted op', () => {
  for (const [op, build] of Object.entries(CASES)) {
    for (const mode of ['int8', 'int16x8'] as const) {
      const accepted = canQuantize(op, mode === 'int8' ? 'int8' : 'int16');
      if (!accepted) continue;
      it(`${op} ${mode}: runs in our interpreter, outputs within 3 output steps of the float model's`, () => {
        const floatModel = model(build);
        const result = quantizeFullInteger(floatModel, {
          mode, representative: samples(20, 1), inputType: 'float32', outputType: 'float32',
        });
        const interpreter = new Interpreter(result.model);
        interpreter.allocate();
        // The calibration samples themselves: values outside the calibrated range would clip.
        const evaluation = samples(20, 1);
        const ours = runModel(result.model, evaluation);
        const reference = runModel(floatModel, evaluation);
        const main = result.model.subgraphs[0];
        const outTwin = main.tensors[main.operators[main.operators.length - 1].inputs[0]];
        const step = outTwin.quantization?.scale[0] ?? NaN;
        let worst = 0;
        ours.forEach((row, s) => row.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - reference[s][i])); }));
        // Each quantized op adds at most about one output step; a chain of two ops two (plus the
        // input's). TFLM's int16 TANH / LOGISTIC / SOFTMAX interpolate lookup tables, a few steps off.
        const steps = mode === 'int16x8' && ['TANH', 'LOGISTIC', 'SOFTMAX'].includes(op) ? 8 : 3;
        assert.ok(worst <= steps * step, `max error ${worst} vs output step ${step}`);
      });
    }
  }

  it('SOFTMAX / LOGISTIC outputs are 1/256 zero point -128 (int8) and 1/32768, 0 (int16); TANH 1/128, 0 (int8)', () => {
    const params = (op: string, mode: 'int8' | 'int16x8'): [number, number] => {
      const r = quantizeFullInteger(model(CASES[op]), { mode, representative: samples(5, 3) });
      const q = r.model.subgraphs[0].tensors[r.model.subgraphs[0].outputs[0]].quantization;
      return [q?.scale[0] ?? NaN, q?.zeroPoint[0] ?? NaN];
    };
    assert.deepEqual(params('SOFTMAX', 'int8'), [1 / 256, -128]);
    assert.deepEqual(params('LOGISTIC', 'int8'), [1 / 256, -128]);
    assert.deepEqual(params('TANH', 'int8'), [1 / 128, 0]);
    assert.deepEqual(params('SOFTMAX', 'int16x8'), [1 / 32768, 0]);
    assert.deepEqual(params('TANH', 'int16x8'), [1 / 32768, 0]);
  });

  it('pools, reshapes, pads, slices, splits and RELU6 (TFLM copies its integers) share their input\'s parameters; CONCATENATION requantizes a differing input', () => {
    for (const op of ['MAX_POOL_2D', 'AVERAGE_POOL_2D', 'RESHAPE', 'PAD', 'STRIDED_SLICE', 'TRANSPOSE', 'RELU6', 'SPLIT']) {
      const r = quantizeFullInteger(model(CASES[op]), { mode: 'int8', representative: samples(5, 4) });
      const main = r.model.subgraphs[0];
      const q = (t: number): string => JSON.stringify([main.tensors[t].quantization?.scale, main.tensors[t].quantization?.zeroPoint]);
      assert.equal(q(main.outputs[0]), q(main.inputs[0]), op);
    }
    const r = quantizeFullInteger(model(CASES.CONCATENATION), { mode: 'int8', representative: samples(5, 4) });
    const ops = r.model.subgraphs[0].operators.map((o) => o.op);
    assert.deepEqual(ops, ['TANH', 'QUANTIZE', 'CONCATENATION']);
  });
});

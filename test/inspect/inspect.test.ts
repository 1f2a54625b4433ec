import assert from 'node:assert/strict';
import { inspect } from '../../lib/inspect/index.js';
import {
  BatchMatMulOptionsT, Padding, Pool2DOptionsT, SVDFOptionsT,
} from '../../lib/model/schema/tflite.js';
import { model, operator, singleOp, subgraph, tensor } from './build.js';

// hello_world's shape: x[1,1] -> FC 16 -> FC 16 -> FC 1, float32.
function helloWorldFloat() {
  const tensors = [
    tensor({ name: 'x', shape: [1, 1] }),
    tensor({ name: 'w1', shape: [16, 1], constant: true }),
    tensor({ name: 'b1', shape: [16], constant: true }),
    tensor({ name: 'h1', shape: [1, 16] }),
    tensor({ name: 'w2', shape: [16, 16], constant: true }),
    tensor({ name: 'b2', shape: [16], constant: true }),
    tensor({ name: 'h2', shape: [1, 16] }),
    tensor({ name: 'w3', shape: [1, 16], constant: true }),
    tensor({ name: 'b3', shape: [1], constant: true }),
    tensor({ name: 'y', shape: [1, 1] }),
  ];
  const ops = [
    operator('FULLY_CONNECTED', [0, 1, 2], [3]),
    operator('FULLY_CONNECTED', [3, 4, 5], [6]),
    operator('FULLY_CONNECTED', [6, 7, 8], [9]),
  ];
  return model([subgraph(tensors, ops, [0], [9])], {
    metadata: { min_runtime_version: new TextEncoder().encode('1.5.0\0\0\0\0\0\0') },
    signatureDefs: [{ signatureKey: 'serving_default', subgraphIndex: 0, inputs: [{ name: 'dense_input', tensorIndex: 0 }], outputs: [{ name: 'dense_2', tensorIndex: 9 }] }],
  });
}

describe('inspect', function () {
  describe('hello_world (3 x FULLY_CONNECTED)', function () {
    const report = inspect(helloWorldFloat(), { byteLength: 3164 });

    it('counts parameters and their bytes', function () {
      // weights 16 + 256 + 16, biases 16 + 16 + 1, float32
      assert.equal(report.parameters.elements, 16 + 16 + 256 + 16 + 16 + 1);
      assert.equal(report.parameters.elements, 321);
      assert.equal(report.parameters.bytes, 321 * 4);
      assert.equal(report.parameters.tensors, 6);
      assert.deepEqual(report.parameters.byDtype, { float32: { tensors: 6, elements: 321, bytes: 1284 } });
    });

    it('estimates 16 + 256 + 16 MACs', function () {
      assert.deepEqual(report.ops.operators.map((r) => r.macs), [16, 256, 16]);
      assert.equal(report.macs.total, 288);
      assert.deepEqual(report.macs.notEstimated, []);
    });

    it('summarises the model, ops and I/O', function () {
      assert.equal(report.model.flashBytes, 3164);
      // Planned by the interpreter, by hand: the two [1,16] float activations (64 B each) overlap
      // in operator 1, so they take [0,64) and [64,128); the [1,1] input (alive with the first, in
      // operator 0) fits at 64 and the [1,1] output (alive with the second, in operator 2) at 0.
      assert.equal(report.model.arenaBytes, 128);
      assert.equal(report.model.arenaNote, null);
      assert.equal(report.model.schemaVersion, 3);
      assert.equal(report.model.subgraphs, 1);
      assert.deepEqual(report.model.metadataNames, ['min_runtime_version']);
      assert.equal(report.model.minRuntimeVersion, '1.5.0');
      assert.deepEqual(report.ops.histogram, { FULLY_CONNECTED: 3 });
      const row = report.ops.operators[1];
      assert.deepEqual(row.inputs, [
        { tensor: 3, shape: [1, 16], dtype: 'float32' },
        { tensor: 4, shape: [16, 16], dtype: 'float32' },
        { tensor: 5, shape: [16], dtype: 'float32' },
      ]);
      assert.deepEqual(row.outputs, [{ tensor: 6, shape: [1, 16], dtype: 'float32' }]);
      assert.deepEqual(report.io[0].inputs.map((t) => [t.name, t.tensor, t.shape, t.dtype, t.scale]), [['x', 0, [1, 1], 'float32', null]]);
      assert.deepEqual(report.signatureDefs[0].outputs.map((t) => [t.name, t.tensor]), [['dense_2', 9]]);
      assert.equal(report.signatureDefs[0].key, 'serving_default');
    });

    it('lists tensors with bytes and constness', function () {
      const rows = report.tensors[0].tensors;
      assert.equal(rows.length, 10);
      assert.deepEqual([rows[4].name, rows[4].bytes, rows[4].constant], ['w2', 1024, true]);
      assert.deepEqual([rows[6].name, rows[6].bytes, rows[6].constant], ['h2', 64, false]);
    });

    it('finds it supported by TFLM', function () {
      assert.equal(report.tflm.supported, true);
      assert.deepEqual(report.tflm.problems, []);
      assert.ok(report.ops.operators.every((r) => r.tflm.registered && r.tflm.typeSupported === true));
    });

    it('is plain JSON data', function () {
      assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
    });

    it('takes the arena size when the caller planned it', function () {
      assert.equal(inspect(helloWorldFloat(), { arenaBytes: 1216 }).model.arenaBytes, 1216);
      assert.equal(inspect(helloWorldFloat()).model.flashBytes, null);
    });
  });

  describe('MACs', function () {
    it('CONV_2D: batches*outH*outW*outC*kH*kW*inC', function () {
      // 2 x [8,8,3] VALID 3x3 -> [2,6,6,4]
      const m = singleOp('CONV_2D', [{ shape: [2, 8, 8, 3] }, { shape: [4, 3, 3, 3], constant: true }, { shape: [4], constant: true }], [{ shape: [2, 6, 6, 4] }]);
      assert.equal(inspect(m).macs.total, 2 * 6 * 6 * 4 * 3 * 3 * 3);
    });

    it('CONV_2D grouped: uses the filter\'s input channels per group', function () {
      // 8 input channels in 2 groups: filter [4, 1, 1, 4]
      const m = singleOp('CONV_2D', [{ shape: [1, 5, 5, 8] }, { shape: [4, 1, 1, 4], constant: true }, null], [{ shape: [1, 5, 5, 4] }]);
      assert.equal(inspect(m).macs.total, 5 * 5 * 4 * 4);
    });

    it('DEPTHWISE_CONV_2D: outH*outW*outC*kH*kW', function () {
      const m = singleOp('DEPTHWISE_CONV_2D', [{ shape: [1, 5, 5, 8] }, { shape: [1, 3, 3, 8], constant: true }, { shape: [8], constant: true }], [{ shape: [1, 3, 3, 8] }]);
      assert.equal(inspect(m).macs.total, 3 * 3 * 8 * 3 * 3);
    });

    it('TRANSPOSE_CONV: input elements * kH*kW*outC', function () {
      const m = singleOp('TRANSPOSE_CONV', [{ shape: [4], dtype: 'int32', constant: true }, { shape: [3, 3, 3, 4], constant: true }, { shape: [1, 2, 2, 4] }], [{ shape: [1, 4, 4, 3] }]);
      assert.equal(inspect(m).macs.total, 2 * 2 * 4 * 3 * 3 * 3);
    });

    it('FULLY_CONNECTED with several batches', function () {
      const m = singleOp('FULLY_CONNECTED', [{ shape: [3, 10] }, { shape: [7, 10], constant: true }, null], [{ shape: [3, 7] }]);
      assert.equal(inspect(m).macs.total, 3 * 7 * 10);
    });

    it('BATCH_MATMUL: output elements * contracted depth, with and without adj_x', function () {
      const plain = singleOp('BATCH_MATMUL', [{ shape: [2, 3, 5] }, { shape: [2, 5, 7] }], [{ shape: [2, 3, 7] }]);
      assert.equal(inspect(plain).macs.total, 2 * 3 * 7 * 5);
      const adjoint = singleOp('BATCH_MATMUL', [{ shape: [2, 5, 3] }, { shape: [2, 5, 7] }], [{ shape: [2, 3, 7] }],
        { builtinOptions: new BatchMatMulOptionsT(true, false, false) });
      assert.equal(inspect(adjoint).macs.total, 2 * 3 * 7 * 5);
    });

    it('BATCH_MATMUL with a broadcast rhs: M*N*K per output batch', function () {
      // lhs [2, 3, 5] x rhs [5, 7]: two batches of 3x7 outputs, each a 5-term dot product.
      const m = singleOp('BATCH_MATMUL', [{ shape: [2, 3, 5] }, { shape: [5, 7], constant: true }], [{ shape: [2, 3, 7] }]);
      assert.equal(inspect(m).macs.total, 2 * 3 * 7 * 5);
    });

    it('RESIZE_BILINEAR: 4 per output element; the data-movement ops of the shape families: 0, estimated', function () {
      const resize = singleOp('RESIZE_BILINEAR', [{ shape: [1, 2, 2, 3] }, { shape: [2], dtype: 'int32', constant: true }], [{ shape: [1, 4, 4, 3] }]);
      assert.equal(inspect(resize).macs.total, 4 * 4 * 3 * 4);
      for (const op of ['SLICE', 'MIRROR_PAD', 'GATHER', 'DEPTH_TO_SPACE', 'RESIZE_NEAREST_NEIGHBOR', 'ARG_MAX', 'REDUCE_ALL']) {
        const report = inspect(singleOp(op, [{ shape: [1, 2, 2, 4] }], [{ shape: [1, 2, 2, 4] }]));
        assert.equal(report.macs.total, 0, op);
        assert.equal(report.ops.operators[0].macsEstimated, true, op);
      }
      assert.equal(inspect(singleOp('SUM', [{ shape: [2, 6] }, { shape: [1], dtype: 'int32', constant: true }], [{ shape: [2] }])).macs.total, 12);
      assert.equal(inspect(singleOp('CUMSUM', [{ shape: [2, 6] }, { shape: [], dtype: 'int32', constant: true }], [{ shape: [2, 6] }])).macs.total, 12);
    });

    it('pooling: output elements * window', function () {
      const m = singleOp('AVERAGE_POOL_2D', [{ shape: [1, 4, 4, 8] }], [{ shape: [1, 2, 2, 8] }],
        { builtinOptions: new Pool2DOptionsT(Padding.VALID, 2, 2, 2, 2) });
      assert.equal(inspect(m).macs.total, 2 * 2 * 8 * 2 * 2);
    });

    it('elementwise ops count output elements, reductions and softmax input elements', function () {
      assert.equal(inspect(singleOp('ADD', [{ shape: [1, 4, 4, 2] }, { shape: [2], constant: true }], [{ shape: [1, 4, 4, 2] }])).macs.total, 32);
      assert.equal(inspect(singleOp('MEAN', [{ shape: [1, 4, 4, 2] }, { shape: [2], dtype: 'int32', constant: true }], [{ shape: [1, 2] }])).macs.total, 32);
      assert.equal(inspect(singleOp('SOFTMAX', [{ shape: [1, 10] }], [{ shape: [1, 10] }])).macs.total, 10);
      assert.equal(inspect(singleOp('RESHAPE', [{ shape: [1, 10] }], [{ shape: [10] }])).ops.operators[0].macsEstimated, true);
    });

    it('UNIDIRECTIONAL_SEQUENCE_LSTM: steps*(4*nCell*(nIn+nOut) + 3*nCell)', function () {
      // 28 steps of 28 inputs, 20 cells, no CIFG, peepholes or projection.
      const inputs = [
        { shape: [1, 28, 28] },
        ...[1, 2, 3, 4].map(() => ({ shape: [20, 28], constant: true })),
        ...[5, 6, 7, 8].map(() => ({ shape: [20, 20], constant: true })),
        null, null, null,
        ...[12, 13, 14, 15].map(() => ({ shape: [20], constant: true })),
        null, null,
        { shape: [1, 20], variable: true },
        { shape: [1, 20], variable: true },
      ];
      const report = inspect(singleOp('UNIDIRECTIONAL_SEQUENCE_LSTM', inputs, [{ shape: [1, 28, 20] }]));
      assert.equal(report.macs.total, 28 * (4 * 20 * (28 + 20) + 3 * 20));
      // variable state tensors are not parameters: 4*560 + 4*400 + 4*20
      assert.equal(report.parameters.elements, 4 * 560 + 4 * 400 + 4 * 20);
    });

    it('SVDF: batches*nFilters*(nInput+memory)', function () {
      const m = singleOp('SVDF', [{ shape: [1, 40] }, { shape: [64, 40], constant: true }, { shape: [64, 8], constant: true }, { shape: [32], constant: true }, { shape: [1, 512], variable: true }],
        [{ shape: [1, 32] }], { builtinOptions: new SVDFOptionsT(2) });
      assert.equal(inspect(m).macs.total, 64 * (40 + 8));
    });

    it('marks ops without a formula as not estimated', function () {
      const report = inspect(singleOp('CUSTOM', [{ shape: [480], dtype: 'int16' }, { shape: [480], dtype: 'int16', constant: true }], [{ shape: [480], dtype: 'int16' }], { customCode: 'SignalWindow' }));
      assert.equal(report.ops.operators[0].macsEstimated, false);
      assert.equal(report.ops.operators[0].macs, 0);
      assert.deepEqual(report.macs.notEstimated, ['CUSTOM:SignalWindow']);
      assert.deepEqual(report.ops.histogram, { 'CUSTOM:SignalWindow': 1 });
    });
  });

  describe('TFLM support', function () {
    it('accepts a registered custom op with its input type', function () {
      const report = inspect(singleOp('CUSTOM', [{ shape: [480], dtype: 'int16' }], [{ shape: [480], dtype: 'int16' }], { customCode: 'SignalWindow' }));
      assert.equal(report.tflm.supported, true);
      assert.deepEqual(report.ops.operators[0].tflm.registered, true);
    });

    it('refuses unknown custom ops and builtins TFLM lacks', function () {
      const custom = inspect(singleOp('CUSTOM', [{ shape: [4] }], [{ shape: [4] }], { customCode: 'MyOp' }));
      assert.equal(custom.tflm.supported, false);
      assert.match(custom.tflm.problems[0], /MyOp.*not in TFLM/);
      const topk = inspect(singleOp('TOPK_V2', [{ shape: [10] }, { shape: [], dtype: 'int32', constant: true }], [{ shape: [3] }, { shape: [3], dtype: 'int32' }]));
      assert.equal(topk.tflm.supported, false);
      assert.match(topk.tflm.problems[0], /^TOPK_V2 is not in TFLM/);
      assert.equal(topk.ops.operators[0].tflm.registered, false);
    });

    it('refuses a main input type the reference kernel lacks', function () {
      // L2_POOL_2D's reference kernel is float32 only.
      const report = inspect(singleOp('L2_POOL_2D', [{ shape: [1, 4, 4, 1], dtype: 'int8', scale: [0.1] }], [{ shape: [1, 2, 2, 1], dtype: 'int8', scale: [0.1] }],
        { builtinOptions: new Pool2DOptionsT(Padding.VALID, 2, 2, 2, 2) }));
      assert.equal(report.tflm.supported, false);
      assert.equal(report.ops.operators[0].tflm.typeSupported, false);
      assert.match(report.tflm.problems[0], /L2_POOL_2D int8.*float32/);
    });

    it('checks the input of TRANSPOSE_CONV, not its output_shape operand', function () {
      const report = inspect(singleOp('TRANSPOSE_CONV', [{ shape: [4], dtype: 'int32', constant: true }, { shape: [3, 3, 3, 4], constant: true }, { shape: [1, 2, 2, 4] }], [{ shape: [1, 4, 4, 3] }]));
      assert.equal(report.ops.operators[0].tflm.inputDtype, 'float32');
      assert.equal(report.tflm.supported, true);
    });

    it('refuses hybrid FULLY_CONNECTED (float input, int8 weights) but takes 16x8', function () {
      const hybrid = inspect(singleOp('FULLY_CONNECTED', [{ shape: [1, 64] }, { shape: [128, 64], dtype: 'int8', constant: true, scale: [0.01] }, { shape: [128], constant: true }], [{ shape: [1, 128] }]));
      assert.equal(hybrid.tflm.supported, false);
      assert.match(hybrid.tflm.problems[0], /hybrid/);
      const sixteenByEight = inspect(singleOp('FULLY_CONNECTED', [{ shape: [1, 64], dtype: 'int16', scale: [0.001] }, { shape: [8, 64], dtype: 'int8', constant: true, scale: [0.01] }, { shape: [8], dtype: 'int64', constant: true }], [{ shape: [1, 8], dtype: 'int16', scale: [0.002] }]));
      assert.equal(sixteenByEight.tflm.supported, true);
    });

    it('refuses ethos-u, whose resolver method registers nothing in a reference build', function () {
      const report = inspect(singleOp('CUSTOM', [{ shape: [1, 96, 96, 1], dtype: 'int8' }], [{ shape: [1, 2], dtype: 'int8' }], { customCode: 'ethos-u' }));
      assert.equal(report.tflm.supported, false);
      assert.equal(report.ops.operators[0].tflm.registered, true);
      assert.match(report.tflm.problems[0], /ethos-u has no reference kernel/);
    });

    it('reports likely-only type information as a caveat, not a problem', function () {
      // tflm_ops.json: UNIDIRECTIONAL_SEQUENCE_LSTM types_confidence "likely".
      const report = inspect(singleOp('UNIDIRECTIONAL_SEQUENCE_LSTM', [{ shape: [1, 2, 3] }], [{ shape: [1, 2, 4] }]));
      assert.equal(report.tflm.supported, true);
      assert.equal(report.ops.operators[0].tflm.confidence, 'likely');
      assert.match(report.tflm.caveats[0], /UNIDIRECTIONAL_SEQUENCE_LSTM.*likely/);
    });

    it('names every operator that has the same problem once', function () {
      const tensors = [tensor({ shape: [4] }), tensor({ shape: [4] }), tensor({ shape: [4] })];
      const ops = [operator('CUSTOM', [0], [1], { customCode: 'MyOp' }), operator('CUSTOM', [1], [2], { customCode: 'MyOp' })];
      const report = inspect(model([subgraph(tensors, ops, [0], [2])]));
      assert.equal(report.tflm.problems.length, 1);
      assert.match(report.tflm.problems[0], /operators 0, 1\)$/);
    });
  });

  describe('quantization', function () {
    it('summarises per-tensor and per-channel parameters', function () {
      const m = singleOp('CONV_2D', [
        { shape: [1, 4, 4, 2], dtype: 'int8', scale: [0.5], zeroPoint: [-128] },
        { shape: [3, 1, 1, 2], dtype: 'int8', constant: true, scale: [0.01, 0.04, 0.02], zeroPoint: [0, 0, 0] },
        { shape: [3], dtype: 'int32', constant: true, scale: [0.005, 0.02, 0.01] },
      ], [{ shape: [1, 4, 4, 3], dtype: 'int8', scale: [0.25], zeroPoint: [3] }]);
      const report = inspect(m);
      const [input, filter] = report.tensors[0].tensors;
      assert.deepEqual(input.quantization, {
        perChannel: false, quantizedDimension: 0, channels: 1, scale: 0.5, scaleMin: 0.5, scaleMax: 0.5,
        zeroPoint: -128, zeroPointMin: -128, zeroPointMax: -128,
      });
      assert.deepEqual(filter.quantization, {
        perChannel: true, quantizedDimension: 0, channels: 3, scale: null, scaleMin: 0.01, scaleMax: 0.04,
        zeroPoint: 0, zeroPointMin: 0, zeroPointMax: 0,
      });
      assert.deepEqual([report.io[0].inputs[0].scale, report.io[0].inputs[0].zeroPoint], [0.5, -128]);
      assert.deepEqual([report.io[0].outputs[0].scale, report.io[0].outputs[0].zeroPoint], [0.25, 3]);
      // int8 weights 6 bytes + int32 bias 12 bytes
      assert.deepEqual(report.parameters.byDtype, { int8: { tensors: 1, elements: 6, bytes: 6 }, int32: { tensors: 1, elements: 3, bytes: 12 } });
    });
  });

  describe('several subgraphs', function () {
    it('counts operators of every subgraph and locates problems as subgraph:index', function () {
      const first = subgraph([tensor({ shape: [2] }), tensor({ shape: [2] })], [operator('RELU', [0], [1])], [0], [1]);
      const second = subgraph([tensor({ shape: [2] }), tensor({ shape: [2] })], [operator('CUSTOM', [0], [1], { customCode: 'MyOp' })], [0], [1]);
      const report = inspect(model([first, second]));
      assert.deepEqual(report.ops.histogram, { RELU: 1, 'CUSTOM:MyOp': 1 });
      assert.equal(report.macs.total, 2);
      assert.match(report.tflm.problems[0], /operator 1:0\)$/);
      assert.deepEqual(report.io.map((sg) => sg.subgraph), [0, 1]);
    });
  });
});

// RESHAPE / SQUEEZE / EXPAND_DIMS outputs planned onto their input's arena buffer: offsets and
// arena sizes worked out by hand from the greedy planner's rules (sizes rounded up to 16 bytes,
// largest first, lowest free offset), values from the ops' definitions, and TFLM's goldens.
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/index.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import { AddOptionsT, SqueezeOptionsT } from '../../lib/model/schema/tflite.js';
import { expectedOutputs, goldenModel, readGolden, runCase } from './golden.js';
import { broadcastThenReshape, iota } from './planner-models.js';


describe('interpreter: RESHAPE-like outputs share their input buffer', function () {
  it('plans a RESHAPE output on its input and skips the copy', function () {
    const [x, a, b] = [0, 2, 3];
    const it = new Interpreter(broadcastThenReshape());
    it.allocate();
    const offsets = it.arenaOffsets();
    // Scopes: x created at 0, used by ADD at 1; a created at 1, last used by RESHAPE at 2; b
    // created at 2 and kept to the end (2). Merged a+b: 256 B over 1..2, placed first at 0;
    // x (16 B, 0..1) meets it -> 256. Arena 272 B (two separate 256 B buffers would need 528).
    assert.equal(offsets[a], 0);
    assert.equal(offsets[b], 0);
    assert.equal(offsets[x], 256);
    assert.equal(it.arenaUsedBytes, 272);
    it.setInput(0, [2]);
    it.invoke();
    // b[i] = 2 + i, the ADD's result seen through the new shape.
    assert.deepEqual([...it.output(0).data as Float32Array], iota(64).map((i) => 2 + i));
  });

  it('merges a chain EXPAND_DIMS -> SQUEEZE into one buffer', function () {
    const builder = new ModelBuilder();
    const x = builder.addInput({ name: 'x', shape: [1], dtype: 'float32' });
    const c = builder.addConstant({ name: 'c', shape: [4], dtype: 'float32', data: new Float32Array([10, 20, 30, 40]) });
    const axis = builder.addConstant({ name: 'axis', shape: [1], dtype: 'int32', data: new Int32Array([0]) });
    const a = builder.addTensor({ name: 'a', shape: [4], dtype: 'float32' });
    const b = builder.addTensor({ name: 'b', shape: [1, 4], dtype: 'float32' });
    const d = builder.addTensor({ name: 'd', shape: [4], dtype: 'float32' });
    builder.addOperator('ADD', [x, c], [a], { builtinOptions: new AddOptionsT() });
    builder.addOperator('EXPAND_DIMS', [a, axis], [b]);
    builder.addOperator('SQUEEZE', [b], [d], { builtinOptions: new SqueezeOptionsT([0]) });
    builder.addOutput(d);
    const it = new Interpreter(builder.build());
    it.allocate();
    const offsets = it.arenaOffsets();
    assert.equal(offsets[b], offsets[a]);
    assert.equal(offsets[d], offsets[a]);
    assert.notEqual(offsets[x], offsets[a]);
    it.setInput(0, [1]);
    it.invoke();
    assert.deepEqual([...it.output(0).data as Float32Array], [11, 21, 31, 41]);
  });

  for (const chain of [1, 2]) {
    it(`keeps a graph input passed to a graph output through ${chain} RESHAPE(s) in two buffers`, function () {
      const builder = new ModelBuilder();
      const x = builder.addInput({ name: 'x', shape: [2, 2], dtype: 'int8' });
      const m = builder.addTensor({ name: 'm', shape: [1, 4], dtype: 'int8' });
      const y = builder.addTensor({ name: 'y', shape: [4], dtype: 'int8' });
      if (chain === 1) builder.addOperator('RESHAPE', [x], [y]);
      else {
        builder.addOperator('RESHAPE', [x], [m]);
        builder.addOperator('RESHAPE', [m], [y]);
      }
      builder.addOutput(y);
      const it = new Interpreter(builder.build());
      it.allocate();
      assert.notEqual(it.arenaOffsets()[x], it.arenaOffsets()[y]);
      it.setInput(0, [1, -2, 3, -4]);
      it.invoke();
      it.setInput(0, [0, 0, 0, 0]);
      // The output read after the next input was written still holds the last invoke's result.
      assert.deepEqual([...it.output(0).data as Int8Array], [1, -2, 3, -4]);
    });
  }

  it('micro_speech_quantized: the input RESHAPE shares its buffer, outputs stay TFLM-exact, arena within TFLM', function () {
    const golden = readGolden('micro_speech_quantized');
    const model = goldenModel(golden);
    const reshape = model.subgraphs[0].operators.findIndex((o) => o.op === 'RESHAPE');
    const { inputs: [source], outputs: [target] } = model.subgraphs[0].operators[reshape];
    const it = new Interpreter(model);
    it.allocate();
    assert.equal(it.arenaOffsets()[target], it.arenaOffsets()[source]);
    assert.ok(golden.arena_used_bytes_x86_64 !== null && it.arenaUsedBytes <= golden.arena_used_bytes_x86_64);
    for (const testCase of golden.cases) assert.deepEqual(runCase(model, testCase), expectedOutputs(testCase), testCase.case);
  });
});

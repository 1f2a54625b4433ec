// IF, WHILE and CALL_ONCE on small multi-subgraph models built here; results worked out by hand
// in the comments, arena offsets from TFLM's allocation scopes (MarkSubgraphLifetimesIfNecessary)
// and the greedy planner's rules. No model in ../shared uses control flow (all have one subgraph).
import assert from 'node:assert/strict';
import { Interpreter, OpResolver, type Kernel } from '../../lib/interpreter/index.js';
import { ModelBuilder, type SubgraphBuilder } from '../../lib/model/builder.js';
import { AddOptionsT, CallOnceOptionsT, IfOptionsT, MulOptionsT, VarHandleOptionsT, WhileOptionsT } from '../../lib/model/schema/tflite.js';
import { loadModel } from '../../lib/model/read.js';
import type { Model } from '../../lib/model/types.js';
import { writeModel } from '../../lib/model/write.js';
import { readOfflinePlan, withOfflinePlan } from '../../lib/interpreter/offline-plan.js';

const values = (it: Interpreter, i: number): number[] => [...it.output(i).data as Float32Array];

/** A two-input, one-output float32 [2] subgraph applying op (ADD or MUL). */
function binaryBranch(builder: ModelBuilder, name: string, op: 'ADD' | 'MUL'): SubgraphBuilder {
  const branch = builder.subgraph(name);
  const x = branch.addInput({ name: `${name}_x`, shape: [2], dtype: 'float32' });
  const y = branch.addInput({ name: `${name}_y`, shape: [2], dtype: 'float32' });
  const z = branch.addTensor({ name: `${name}_z`, shape: [2], dtype: 'float32' });
  branch.addOperator(op, [x, y], [z], { builtinOptions: op === 'ADD' ? new AddOptionsT() : new MulOptionsT() });
  branch.addOutput(z);
  return branch;
}

/** main: out = IF(cond, a, b) with then = subgraph 1 (a + b), else = subgraph 2 (a * b). */
function ifModel(thenIndex = 1): Model {
  const builder = new ModelBuilder();
  const cond = builder.addInput({ name: 'cond', shape: [1], dtype: 'bool' });
  const a = builder.addInput({ name: 'a', shape: [2], dtype: 'float32' });
  const b = builder.addInput({ name: 'b', shape: [2], dtype: 'float32' });
  const out = builder.addTensor({ name: 'out', shape: [2], dtype: 'float32' });
  builder.addOperator('IF', [cond, a, b], [out], { builtinOptions: new IfOptionsT(thenIndex, 2) });
  builder.addOutput(out);
  binaryBranch(builder, 'then', 'ADD');
  binaryBranch(builder, 'else', 'MUL');
  return builder.build();
}

/**
 * main: (i, acc) = WHILE(i0, acc0); cond (subgraph 1): i < 5; body (subgraph 2): i + 1, acc + i
 * (acc is [2], i broadcast).
 */
function whileModel(): Model {
  const builder = new ModelBuilder();
  const i0 = builder.addInput({ name: 'i0', shape: [1], dtype: 'float32' });
  const acc0 = builder.addInput({ name: 'acc0', shape: [2], dtype: 'float32' });
  const i = builder.addTensor({ name: 'i', shape: [1], dtype: 'float32' });
  const acc = builder.addTensor({ name: 'acc', shape: [2], dtype: 'float32' });
  builder.addOperator('WHILE', [i0, acc0], [i, acc], { builtinOptions: new WhileOptionsT(1, 2) });
  builder.addOutput(i);
  builder.addOutput(acc);

  const cond = builder.subgraph('cond');
  const ci = cond.addInput({ name: 'cond_i', shape: [1], dtype: 'float32' });
  cond.addInput({ name: 'cond_acc', shape: [2], dtype: 'float32' });
  const limit = cond.addConstant({ name: 'limit', shape: [1], dtype: 'float32', data: new Float32Array([5]) });
  const more = cond.addTensor({ name: 'more', shape: [1], dtype: 'bool' });
  cond.addOperator('LESS', [ci, limit], [more]);
  cond.addOutput(more);

  const body = builder.subgraph('body');
  const bi = body.addInput({ name: 'body_i', shape: [1], dtype: 'float32' });
  const bacc = body.addInput({ name: 'body_acc', shape: [2], dtype: 'float32' });
  const one = body.addConstant({ name: 'one', shape: [1], dtype: 'float32', data: new Float32Array([1]) });
  const next = body.addTensor({ name: 'next_i', shape: [1], dtype: 'float32' });
  const sum = body.addTensor({ name: 'next_acc', shape: [2], dtype: 'float32' });
  body.addOperator('ADD', [bi, one], [next], { builtinOptions: new AddOptionsT() });
  body.addOperator('ADD', [bacc, bi], [sum], { builtinOptions: new AddOptionsT() });
  body.addOutput(next);
  body.addOutput(sum);
  return builder.build();
}

describe('interpreter: control flow (IF, WHILE, CALL_ONCE)', function () {
  it('IF runs the then branch for true and the else branch for false', function () {
    const it = new Interpreter(ifModel());
    it.allocate();
    it.setInput(1, [1.5, 2]);
    it.setInput(2, [4, -3]);
    it.setInput(0, [1]);
    it.invoke();
    assert.deepEqual(values(it, 0), [5.5, -1]); // 1.5 + 4, 2 + -3
    it.setInput(0, [0]);
    it.invoke();
    assert.deepEqual(values(it, 0), [6, -6]); // 1.5 * 4, 2 * -3
  });

  it('IF: the branches are planned in the same arena, apart from the operator tensors they copy', function () {
    const it = new Interpreter(ifModel());
    it.allocate();
    // Scopes: main inputs and out at 0; IF at 1 (out created); then subgraph inputs/output at 2,
    // its ADD at 3; else inputs at 4, its MUL at 5; the IF's inputs and output last used at 5.
    // Every buffer takes 16 B, so they are placed in reverse request order (main's tensors, then
    // then's, then else's): else z (5..5) -> 0, y and x (4..5) -> 16, 32; then z (3..3) meets
    // none of else -> 0, y, x (2..3) -> 16, 32; main out (1..5) meets all six -> 48, then b, a,
    // cond (0..5) -> 64, 80, 96. Arena 112 B.
    assert.deepEqual(it.arenaOffsets(0), [96, 80, 64, 48]);
    assert.deepEqual(it.arenaOffsets(1), [32, 16, 0]);
    assert.deepEqual(it.arenaOffsets(2), [32, 16, 0]);
    assert.equal(it.arenaUsedBytes, 112);
  });

  it('IF: an offline plan numbers all subgraphs\' tensors back to back and survives a file round trip', function () {
    const model = loadModel(writeModel(withOfflinePlan(ifModel())));
    // 4 main tensors, then 3 + 3: the offsets found by hand in the previous test.
    assert.deepEqual(readOfflinePlan(model)?.offsets, [96, 80, 64, 48, 32, 16, 0, 32, 16, 0]);
    const it = new Interpreter(model);
    it.allocate();
    assert.deepEqual([0, 1, 2].map((s) => it.arenaOffsets(s)), [[96, 80, 64, 48], [32, 16, 0], [32, 16, 0]]);
    it.setInput(0, [0]);
    it.setInput(1, [0.5, 3]);
    it.setInput(2, [2, 2]);
    it.invoke();
    assert.deepEqual(values(it, 0), [1, 6]);
  });

  it('WHILE loops the body until cond is false, and not at all when it starts false', function () {
    const it = new Interpreter(whileModel());
    it.allocate();
    it.setInput(0, [0]);
    it.setInput(1, [1, 10]);
    it.invoke();
    // Bodies run for i = 0, 1, 2, 3, 4: acc += 0 + 1 + 2 + 3 + 4 = 10; i ends at 5.
    assert.deepEqual(values(it, 0), [5]);
    assert.deepEqual(values(it, 1), [11, 20]);
    it.setInput(0, [7]);
    it.setInput(1, [-1, 2]);
    it.invoke();
    assert.deepEqual(values(it, 0), [7]);
    assert.deepEqual(values(it, 1), [-1, 2]);
    // A fractional start: i = 2.5, 3.5, 4.5 run; acc += 10.5.
    it.setInput(0, [2.5]);
    it.setInput(1, [0, 0]);
    it.invoke();
    assert.deepEqual(values(it, 0), [5.5]);
    assert.deepEqual(values(it, 1), [10.5, 10.5]);
  });

  it('CALL_ONCE runs its init subgraph on the first invoke only, also across reset()', function () {
    let calls = 0;
    const counter: Kernel = { supports: () => true, prepare: () => ({ invoke: () => { calls++; } }) };
    const builder = new ModelBuilder();
    const x = builder.addInput({ name: 'x', shape: [1], dtype: 'float32' });
    const y = builder.addTensor({ name: 'y', shape: [1], dtype: 'float32' });
    builder.addOperator('CALL_ONCE', [], [], { builtinOptions: new CallOnceOptionsT(1) });
    builder.addOperator('ADD', [x, x], [y], { builtinOptions: new AddOptionsT() });
    builder.addOutput(y);
    builder.subgraph('init').addOperator('CUSTOM', [], [], { customCode: 'Counter' });
    const it = new Interpreter(builder.build(), { opResolver: OpResolver.all().add('Counter', counter) });
    it.allocate();
    assert.equal(calls, 0);
    for (const v of [1, 2, 3]) {
      it.setInput(0, [v]);
      it.invoke();
      assert.deepEqual(values(it, 0), [2 * v]);
    }
    it.reset();
    it.invoke();
    assert.equal(calls, 1);
  });

  it('CALL_ONCE initializes a resource variable that READ_VARIABLE / ASSIGN_VARIABLE carry across invokes', function () {
    // main: CALL_ONCE(init); h = VAR_HANDLE('total'); t = READ_VARIABLE(h); y = t + x;
    // ASSIGN_VARIABLE(h, y); output y. init (subgraph 1): ASSIGN_VARIABLE(VAR_HANDLE('total'), 100).
    const builder = new ModelBuilder();
    const x = builder.addInput({ name: 'x', shape: [1], dtype: 'float32' });
    const handle = builder.addTensor({ name: 'h', shape: [], dtype: 'resource' });
    const total = builder.addTensor({ name: 't', shape: [1], dtype: 'float32' });
    const y = builder.addTensor({ name: 'y', shape: [1], dtype: 'float32' });
    builder.addOperator('CALL_ONCE', [], [], { builtinOptions: new CallOnceOptionsT(1) });
    builder.addOperator('VAR_HANDLE', [], [handle], { builtinOptions: new VarHandleOptionsT('', 'total') });
    builder.addOperator('READ_VARIABLE', [handle], [total]);
    builder.addOperator('ADD', [total, x], [y], { builtinOptions: new AddOptionsT() });
    builder.addOperator('ASSIGN_VARIABLE', [handle, y], []);
    builder.addOutput(y);
    const init = builder.subgraph('init');
    const initHandle = init.addTensor({ name: 'init_h', shape: [], dtype: 'resource' });
    const start = init.addConstant({ name: 'start', shape: [1], dtype: 'float32', data: new Float32Array([100]) });
    init.addOperator('VAR_HANDLE', [], [initHandle], { builtinOptions: new VarHandleOptionsT('', 'total') });
    init.addOperator('ASSIGN_VARIABLE', [initHandle, start], []);
    const it = new Interpreter(loadModel(writeModel(builder.build())));
    it.allocate();
    const run = (v: number): number => { it.setInput(0, [v]); it.invoke(); return values(it, 0)[0]; };
    assert.equal(run(1), 101); // init sets 100, then 100 + 1
    assert.equal(run(2), 103);
    // reset() clears resource variables (to 0, the float value's fill) but CALL_ONCE stays done, as in TFLM.
    it.reset();
    assert.equal(run(5), 5);
  });

  it('a resource variable starts at, and resets to, the zero point of the tensor first assigned (TFLM MicroResourceVariables::Allocate)', function () {
    // main: h = VAR_HANDLE('state'); t = READ_VARIABLE(h); ASSIGN_VARIABLE(h, x); output t, so
    // each invoke returns the previous invoke's x. x and t: int8, zero point -3.
    const builder = new ModelBuilder();
    const q = { scale: [1], zeroPoint: [-3] };
    const x = builder.addInput({ name: 'x', shape: [2], dtype: 'int8', quantization: q });
    const handle = builder.addTensor({ name: 'h', shape: [], dtype: 'resource' });
    const t = builder.addTensor({ name: 't', shape: [2], dtype: 'int8', quantization: q });
    builder.addOperator('VAR_HANDLE', [], [handle], { builtinOptions: new VarHandleOptionsT('', 'state') });
    builder.addOperator('READ_VARIABLE', [handle], [t]);
    builder.addOperator('ASSIGN_VARIABLE', [handle, x], []);
    builder.addOutput(t);
    const it = new Interpreter(builder.build());
    it.allocate();
    const run = (v: number[]): number[] => { it.setInput(0, v); it.invoke(); return [...it.output(0).data as Int8Array]; };
    assert.deepEqual(run([5, -7]), [-3, -3]); // never assigned: every byte is the zero point
    assert.deepEqual(run([1, 2]), [5, -7]);
    it.reset();
    assert.deepEqual(run([9, 9]), [-3, -3]);
  });

  it('refuses branches that do not match the operator, and a subgraph that calls itself', function () {
    // then = subgraph 0 itself.
    assert.throws(() => new Interpreter(ifModel(0)).allocate(), /subgraph 0, operator 0 \(IF\): then_subgraph_index 0 is the subgraph this operator belongs to/);
    const builder = new ModelBuilder();
    const cond = builder.addInput({ name: 'cond', shape: [1], dtype: 'bool' });
    const a = builder.addInput({ name: 'a', shape: [3], dtype: 'float32' });
    const out = builder.addTensor({ name: 'out', shape: [2], dtype: 'float32' });
    builder.addOperator('IF', [cond, a], [out], { builtinOptions: new IfOptionsT(1, 1) });
    builder.addOutput(out);
    binaryBranch(builder, 'then', 'ADD');
    assert.throws(() => new Interpreter(builder.build()).allocate(), /subgraph 0, operator 0 \(IF\): then_subgraph_index 1 inputs: 1 tensors for 2/);
    // Subgraph 1 calls subgraph 2, which calls subgraph 1 again.
    const loop = new ModelBuilder();
    loop.addOperator('CALL_ONCE', [], [], { builtinOptions: new CallOnceOptionsT(1) });
    loop.subgraph('one').addOperator('CALL_ONCE', [], [], { builtinOptions: new CallOnceOptionsT(2) });
    loop.subgraph('two').addOperator('CALL_ONCE', [], [], { builtinOptions: new CallOnceOptionsT(1) });
    assert.throws(() => new Interpreter(loop.build()).allocate(), /subgraph 0 -> subgraph 1 -> subgraph 2 -> subgraph 1: a subgraph may not call itself/);
  });

  it('reports an unsupported op in another subgraph with its subgraph', function () {
    const builder = new ModelBuilder();
    builder.addOperator('CALL_ONCE', [], [], { builtinOptions: new CallOnceOptionsT(1) });
    builder.subgraph('init').addOperator('CUSTOM', [], [], { customCode: 'Nowhere' });
    assert.throws(() => new Interpreter(builder.build()), /unsupported ops: subgraph 1, operator 0 \(Nowhere, no inputs\)/);
  });
});

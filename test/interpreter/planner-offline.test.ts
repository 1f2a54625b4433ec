// TFLM's OfflineMemoryAllocation metadata: offsets written by hand into small built models (the
// expected arena positions are those offsets by construction), a real Vela model's plan, the
// errors for malformed or unusable plans, and the round trip plan -> metadata -> load -> same
// offsets -> TFLM's golden outputs.
import assert from 'node:assert/strict';
import { Interpreter, OpResolver, type Kernel } from '../../lib/interpreter/index.js';
import { decodeOfflinePlan, encodeOfflinePlan, OFFLINE_MEMORY_ALLOCATION, readOfflinePlan, withOfflinePlan } from '../../lib/interpreter/offline-plan.js';
import { loadModel } from '../../lib/model/read.js';
import type { Model } from '../../lib/model/types.js';
import { writeModel } from '../../lib/model/write.js';
import { expectedOutputs, goldenModel, readGolden, readShared, runCase } from './golden.js';
import { broadcastThenReshape, iota } from './planner-models.js';

/** broadcastThenReshape (x, c, a, b) carrying the given OfflineMemoryAllocation bytes. */
const planned = (plan: Uint8Array): Model => broadcastThenReshape({ name: OFFLINE_MEMORY_ALLOCATION, bytes: plan });

function words(values: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(values).buffer);
}

/** Runs the model with x = 2 and returns b, which must be 2 + i whatever the plan. */
function run(model: Model): { it: Interpreter; b: number[] } {
  const it = new Interpreter(model);
  it.allocate();
  it.setInput(0, [2]);
  it.invoke();
  return { it, b: [...it.output(0).data as Float32Array] };
}

function planError(metadata: Uint8Array): string {
  try {
    new Interpreter(planned(metadata)).allocate();
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return 'no error';
}

describe('interpreter: offline memory plan (OfflineMemoryAllocation)', function () {
  it('puts every tensor at the offset the metadata gives', function () {
    // x at 1024, a and b together at 256, c constant (-1). Arena: max(1024 + 16, 256 + 256) = 1040.
    const { it, b } = run(planned(words([0, 1, 4, 1024, -1, 256, 256])));
    assert.deepEqual(it.arenaOffsets(), [1024, -1, 256, 256]);
    assert.equal(it.arenaUsedBytes, 1040);
    assert.deepEqual(b, iota(64).map((i) => 2 + i));
  });

  it('plans -1 entries online around the fixed ones', function () {
    // a and b fixed at 0 (256 B over scopes 1..2); x (0..1) meets them -> the first free 16 B at 256.
    const { it, b } = run(planned(words([0, 1, 4, -1, -1, 0, 0])));
    assert.deepEqual(it.arenaOffsets(), [256, -1, 0, 0]);
    assert.equal(it.arenaUsedBytes, 272);
    assert.deepEqual(b, iota(64).map((i) => 2 + i));
  });

  it('keeps a RESHAPE pair the plan separates in two buffers, and copies', function () {
    const { it, b } = run(planned(words([0, 1, 4, 512, -1, 0, 256])));
    assert.deepEqual(it.arenaOffsets(), [512, -1, 0, 256]);
    assert.deepEqual(b, iota(64).map((i) => 2 + i));
  });

  it('refuses malformed or unusable plans, saying what and where', function () {
    assert.match(planError(words([0, 1])), /metadata 'OfflineMemoryAllocation': 8 bytes is not a header of 3 int32 values/);
    assert.match(planError(words([0, 1, 3, 0, -1, 0])), /holds 3 offsets \(word 2\), the model has 4 tensors in all subgraphs/);
    assert.match(planError(words([0, 1, 4, 0, -1, 0])), /announces 4 offsets but its buffer holds only 3/);
    assert.match(planError(words([0, 1, 4, 0, -1, -5, 0])), /offset 2 is -5/);
    // x (bytes 0..4, scopes 0..1) on top of a/b (bytes 0..256, scopes 1..2): both hold values at scope 1.
    assert.match(planError(words([0, 1, 4, 0, -1, 0, 0])),
      /subgraph 0 tensor 0 \(x\) at bytes 0\.\.4 and subgraph 0 tensor 2 \(a\) at bytes 0\.\.256 overlap while both hold values/);
    assert.match(planError(words([0, 1, 4, 512, -1, 2, 2])), /subgraph 0 tensor 2 \(a\) at offset 2 is not aligned to its 4-byte elements/);
  });

  it('reads the plan Vela stored in person_detect_vela and refuses its overlapping NPU buffers', function () {
    const model = loadModel(readShared('models/tflm/models/person_detect_vela.tflite'));
    const plan = readOfflinePlan(model);
    assert.ok(plan !== null);
    // Six tensors (output, command stream, flash, scratch, fast scratch, input), one subgraph.
    assert.equal(plan.subgraphCount, 1);
    assert.equal(plan.offsets.length, model.subgraphs[0].tensors.length);
    assert.deepEqual(plan.offsets.map((o, i) => (model.subgraphs[0].tensors[i].data === null ? o >= 0 : o === -1)), [true, true, true, true, true, true]);
    // The ethos-u op works in place on its scratch; our kernels need disjoint buffers, so with a
    // stand-in kernel the plan is refused at the first pair that overlaps.
    const standIn: Kernel = { supports: () => true, prepare: () => ({ invoke: () => undefined }) };
    const it = new Interpreter(model, { opResolver: OpResolver.all().add('ethos-u', standIn) });
    assert.throws(() => it.allocate(), /metadata 'OfflineMemoryAllocation': subgraph 0 tensor 0 \(MobilenetV1\/Predictions\/Reshape_1\) at bytes 0\.\.2 and subgraph 0 tensor 3 \(_split_1_scratch\) at bytes 0\.\.74464 overlap/);
  });

  it('encodes and decodes the int32 layout', function () {
    const bytes = encodeOfflinePlan({ version: 0, subgraphCount: 2, offsets: [16, -1, 0] });
    assert.deepEqual([...new Int32Array(bytes.buffer)], [0, 2, 3, 16, -1, 0]);
    assert.deepEqual(decodeOfflinePlan(bytes, 3), { version: 0, subgraphCount: 2, offsets: [16, -1, 0] });
  });

  for (const name of ['hello_world_int8', 'micro_speech_quantized']) {
    it(`${name}: our plan stored as metadata, written, read back and used as it is, gives TFLM's outputs`, function () {
      const golden = readGolden(name);
      const model = goldenModel(golden);
      const online = new Interpreter(model);
      online.allocate();
      const reloaded = loadModel(writeModel(withOfflinePlan(model)));
      const plan = readOfflinePlan(reloaded);
      assert.ok(plan !== null);
      assert.deepEqual(plan.offsets, online.arenaOffsets());
      // Constants are left to the runtime (-1); everything else has a place.
      reloaded.subgraphs[0].tensors.forEach((tensor, i) => assert.equal(plan.offsets[i] === -1, tensor.data !== null && !tensor.isVariable, `tensor ${i}`));
      const offline = new Interpreter(reloaded);
      offline.allocate();
      assert.deepEqual(offline.arenaOffsets(), plan.offsets);
      assert.equal(offline.arenaUsedBytes, online.arenaUsedBytes);
      for (const testCase of golden.cases) assert.deepEqual(runCase(reloaded, testCase), expectedOutputs(testCase), testCase.case);
    });
  }
});

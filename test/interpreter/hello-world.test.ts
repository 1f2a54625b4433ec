// hello_world (int8 and float32, three FULLY_CONNECTED layers) against TFLM's reference-kernel
// goldens: int8 byte for byte, float32 within 1e-5 relative (1e-6 absolute near zero).
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/index.js';
import { expectedOutputs, goldenModel, readGolden, runCase } from './golden.js';

describe('interpreter: hello_world against TFLM goldens', function () {
  describe('hello_world_int8', function () {
    const golden = readGolden('hello_world_int8');
    const model = goldenModel(golden);
    for (const testCase of golden.cases) {
      it(`${testCase.case}: ${testCase.frames} frame(s) byte-equal`, function () {
        const produced = runCase(model, testCase);
        const expected = expectedOutputs(testCase);
        produced.forEach((out, k) => assert.deepEqual(Array.from(new Int8Array(out.buffer)), Array.from(new Int8Array(expected[k].buffer, expected[k].byteOffset, expected[k].byteLength))));
      });
    }
    it('arena: ours is hand-computed 32 bytes, within TFLM\'s', function () {
      const interpreter = new Interpreter(model);
      interpreter.allocate();
      // Four 1x1/1x16 int8 activations, each 16 bytes after alignment, alive [0,0] [0,1] [1,2] [2,2]:
      // two slots suffice.
      assert.equal(interpreter.arenaUsedBytes, 32);
      assert.ok(golden.arena_used_bytes_x86_64 !== null && interpreter.arenaUsedBytes <= golden.arena_used_bytes_x86_64);
      this.test!.title += ` (ours ${interpreter.arenaUsedBytes} B, TFLM x86-64 ${golden.arena_used_bytes_x86_64} B)`;
    });
  });

  describe('hello_world_float', function () {
    const golden = readGolden('hello_world_float');
    const model = goldenModel(golden);
    for (const testCase of golden.cases) {
      it(`${testCase.case}: ${testCase.frames} frame(s) within 1e-5`, function () {
        const produced = runCase(model, testCase);
        const expected = expectedOutputs(testCase);
        produced.forEach((out, k) => {
          const ours = new Float32Array(out.buffer);
          const theirs = new Float32Array(expected[k].slice().buffer);
          assert.equal(ours.length, theirs.length);
          ours.forEach((value, i) => {
            const tolerance = Math.max(1e-6, 1e-5 * Math.abs(theirs[i]));
            assert.ok(Math.abs(value - theirs[i]) <= tolerance, `element ${i}: ${value} vs TFLM ${theirs[i]}`);
          });
        });
      });
    }
    it('arena: ours is hand-computed 128 bytes, within TFLM\'s', function () {
      const interpreter = new Interpreter(model);
      interpreter.allocate();
      // Two 64-byte 1x16 activations at 0 and 64; the 16-byte input [0,0] overlaps the first in
      // time so goes to 64, the output [2,2] overlaps the second so goes to 0.
      assert.equal(interpreter.arenaUsedBytes, 128);
      assert.ok(golden.arena_used_bytes_x86_64 !== null && interpreter.arenaUsedBytes <= golden.arena_used_bytes_x86_64);
      this.test!.title += ` (ours ${interpreter.arenaUsedBytes} B, TFLM x86-64 ${golden.arena_used_bytes_x86_64} B)`;
    });
  });
});

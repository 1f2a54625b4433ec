import assert from 'node:assert/strict';
import { SlidingWindow } from '../../lib/sensors/sliding-window.js';

describe('SlidingWindow', function () {
  it('emits back-to-back windows when hop = size', function () {
    const w = new SlidingWindow(3);
    assert.deepEqual(w.push([1, 2]), []);
    assert.equal(w.pending, 1);
    assert.deepEqual(w.push([3, 4, 5, 6, 7]), [[1, 2, 3], [4, 5, 6]]);
    assert.equal(w.pending, 2);
  });

  it('emits overlapping windows every hop values once the first is full', function () {
    const w = new SlidingWindow(4, 2);
    assert.deepEqual(w.push([1, 2, 3, 4, 5, 6, 7]), [[1, 2, 3, 4], [3, 4, 5, 6]]);
    assert.deepEqual(w.push([8]), [[5, 6, 7, 8]]);
  });

  it('starts over after reset and refuses sizes that are not positive integers', function () {
    const w = new SlidingWindow(2);
    w.push([1]);
    w.reset();
    assert.deepEqual(w.push([5, 6]), [[5, 6]]);
    assert.throws(() => new SlidingWindow(0), /positive integer/);
    assert.throws(() => new SlidingWindow(2, 1.5), /positive integer/);
  });
});

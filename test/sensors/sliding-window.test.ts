import assert from 'node:assert/strict';
import { SampleWindow } from '../../lib/sensors/sample-window.js';
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

describe('SampleWindow', function () {
  it('takes channels from the model input and slides by whole samples', function () {
    const w = SampleWindow.forInput(2, 1, 6);
    assert.equal(w.channels, 3);
    assert.deepEqual(w.push([1, 2, 3]), []);
    assert.equal(w.pending, 1);
    assert.deepEqual(w.push([4, 5, 6, 7, 8, 9]), [[1, 2, 3, 4, 5, 6], [4, 5, 6, 7, 8, 9]]);
  });

  it('refuses partial samples and windows that do not divide the input', function () {
    assert.throws(() => SampleWindow.forInput(2, 1, 6).push([1, 2]), /3 channel values; 2 value\(s\) is not a whole number of samples/);
    assert.throws(() => SampleWindow.forInput(4, 1, 6), /a window of 4 samples does not divide it/);
  });
});

// quantizeInWorker: the same quantize() on a worker thread. Expected values come from quantize()
// itself run in this thread (the worker must not change the result), and from the errors the
// full-integer tests already pin down.
import assert from 'node:assert/strict';
import { quantize } from '../../lib/quantize/index.js';
import { SampleError } from '../../lib/quantize/sample-error.js';
import type { QuantizeProgress } from '../../lib/quantize/types.js';
import { quantizeInWorker } from '../../lib/quantize/worker.js';
import { goldenSamples, kerasModel } from './support.js';

describe('quantize: quantizeInWorker', function () {
  this.timeout(60000);
  const floatBytes = kerasModel('sine_mlp', 'float');
  const representative = goldenSamples('sine_mlp', 'representative');
  const evaluation = goldenSamples('sine_mlp', 'eval');

  it('gives the bytes and report of quantize() in this thread, with progress on the way', async function () {
    const progress: QuantizeProgress[] = [];
    const ours = await quantizeInWorker(floatBytes, { mode: 'int8', representative, evaluation }, (p) => progress.push(p));
    const here = quantize(floatBytes, { mode: 'int8', representative, evaluation });
    assert.ok(ours.bytes instanceof Uint8Array);
    assert.deepEqual(Buffer.from(ours.bytes), Buffer.from(here.bytes));
    assert.deepEqual(ours.report, here.report);
    const calibrate = progress.filter((p) => p.stage === 'calibrate');
    const evaluate = progress.filter((p) => p.stage === 'evaluate');
    assert.equal(calibrate.at(-1)?.done, representative.length);
    assert.equal(calibrate.at(-1)?.total, representative.length);
    assert.equal(evaluate.at(-1)?.done, evaluation.length);
    // Progress only counts up within a stage.
    for (let i = 1; i < calibrate.length; i++) assert.ok(calibrate[i].done >= calibrate[i - 1].done);
  });

  it('rejects with quantize()\'s own error: an already-quantized model', async function () {
    await assert.rejects(
      quantizeInWorker(kerasModel('sine_mlp', 'int8'), { mode: 'int8', representative: [[Float32Array.of(1)]] }),
      (err: Error) => /already quantized: tensor \d+ \('[^']+'\) is int8/.test(err.message),
    );
  });

  it('rejects with a SampleError (the class, name and message) for NaN and for no samples', async function () {
    const nan = [[Float32Array.of(1)], [Float32Array.of(Number.NaN)]];
    await assert.rejects(quantizeInWorker(floatBytes, { mode: 'int8', representative: nan }), (err: Error) => {
      assert.match(err.message, /sample 1, input 0, element 0 is NaN/);
      return true;
    });
    await assert.rejects(quantizeInWorker(floatBytes, { mode: 'int16x8', representative: [] }), (err: Error) => {
      assert.ok(err instanceof SampleError, `${err.name}: ${err.message}`);
      assert.equal(err.name, 'SampleError');
      assert.match(err.message, /representative/);
      return true;
    });
  });

  it('rejects with a ModelError for bytes that are no model', async function () {
    await assert.rejects(quantizeInWorker(Uint8Array.of(1, 2, 3), { mode: 'dynamic' }), (err: Error & { code?: string }) => {
      assert.equal(err.name, 'ModelError');
      assert.equal(typeof err.code, 'string');
      return true;
    });
  });

  it('stops when its signal aborts (a node closing), rejecting', async function () {
    const controller = new AbortController();
    const running = quantizeInWorker(floatBytes, { mode: 'int8', representative, evaluation }, () => controller.abort(), controller.signal);
    await assert.rejects(running, /quantization cancelled/);
  });
});

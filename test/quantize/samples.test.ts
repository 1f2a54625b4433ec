// readSamples: JSON, CSV, .npy (bytes written here per the NumPy format spec,
// numpy.lib.format: magic \x93NUMPY, version, little-endian header length, a Python dict literal
// padded with spaces and a newline to a multiple of 64 bytes, then the C-order data) and raw
// float32 (TF's own representative set, golden/tf/*.representative.f32).
import assert from 'node:assert/strict';
import { loadModel } from '../../lib/model/read.js';
import { detectSampleFormat, modelInputs, readSamples, SampleError } from '../../lib/quantize/samples.js';
import { readShared } from '../interpreter/golden.js';

const X8 = [{ name: 'serving_default_x:0', shape: [1, 8] }];
const X2 = [{ name: 'x', shape: [1, 2] }];
const SCALAR = [{ name: 'x', shape: [1, 1] }];
const TWO_INPUTS = [{ name: 'a', shape: [1, 2] }, { name: 'b', shape: [1, 3] }];

function text(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function plain(samples: Float32Array[][]): number[][][] {
  return samples.map((s) => s.map((values) => Array.from(values)));
}

/** A .npy file: version major.0, header dict as given, padded per the spec, then `data`. */
function npy(major: number, header: string, data: Uint8Array): Uint8Array {
  const lengthBytes = major === 1 ? 2 : 4;
  const prefix = 6 + 2 + lengthBytes;
  let dict = `${header} `;
  while ((prefix + dict.length + 1) % 64 !== 0) dict += ' ';
  dict += '\n';
  const out = new Uint8Array(prefix + dict.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, dict.length, true);
  else view.setUint32(8, dict.length, true);
  out.set(text(dict), prefix);
  out.set(data, prefix + dict.length);
  return out;
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

describe('quantize: readSamples, JSON', function () {
  it('reads flat and nested samples of one input', function () {
    const samples = readSamples(text('[[1,2,3,4,5,6,7,8], [[[1,2],[3,4]],[[5,6],[7,8.5]]]]'), 'json', X8);
    assert.deepEqual(plain(samples), [[[1, 2, 3, 4, 5, 6, 7, 8]], [[1, 2, 3, 4, 5, 6, 7, 8.5]]]);
  });

  it('reads a bare number per sample for a one-value input (sine: [1, 1])', function () {
    assert.deepEqual(plain(readSamples(text('[0.5, 1.5, [2]]'), 'json', SCALAR)), [[[0.5]], [[1.5]], [[2]]]);
  });

  it('reads multi-input samples as [input0, input1] or {"inputs": [...]}', function () {
    const samples = readSamples(text('[[[1,2],[3,4,5]], {"inputs": [[6,7],[[8],[9],[10]]]}]'), 'json', TWO_INPUTS);
    assert.deepEqual(plain(samples), [[[1, 2], [3, 4, 5]], [[6, 7], [8, 9, 10]]]);
  });

  it('says which sample is wrong and why', function () {
    assert.throws(() => readSamples(text('[[1,2,3,4,5,6,7,8], [1,2,3,4,5,6,7,8,9]]'), 'json', X8, 'data.json'),
      (e: Error) => e instanceof SampleError && e.message === 'data.json sample 1: 9 values, the input serving_default_x:0 [1,8] takes 8');
    assert.throws(() => readSamples(text('[1,2,3,4,5,6,7,8]'), 'json', X8, 'data.json'), /sample 0: 1 value, .* takes 8 \(one sample alone still needs the outer array/);
    assert.throws(() => readSamples(text('[[1, null]]'), 'json', X2, 'd.json'), /d\.json sample 0, element 1 is null, not a number/);
    assert.throws(() => readSamples(text('[[1, 1e39]]'), 'json', X2, 'd.json'), /element 1 is 1e\+39, beyond the float32 range/);
    assert.throws(() => readSamples(text('{"x": 1}'), 'json', X2, 'd.json'), /d\.json: expected an array of samples, got object/);
    assert.throws(() => readSamples(text('[[1,2'), 'json', X2, 'd.json'), /d\.json: not valid JSON/);
    assert.throws(() => readSamples(text('[]'), 'json', X2, 'd.json'), /d\.json: no samples/);
    assert.throws(() => readSamples(text('[[1,2,3,4,5]]'), 'json', TWO_INPUTS, 'd.json'), /d\.json sample 0: the model takes 2 inputs \(a \[1,2\], b \[1,3\]\)/);
    assert.throws(() => readSamples(text('[{"inputs": [[1,2]]}]'), 'json', TWO_INPUTS, 'd.json'), /sample 0: 1 input, the model takes 2/);
    assert.throws(() => readSamples(text('[[[1,2],[3,4]]]'), 'json', TWO_INPUTS, 'd.json'), /d\.json sample 0, input 1: 2 values, the input b \[1,3\] takes 3/);
  });
});

describe('quantize: readSamples, CSV', function () {
  it('reads one sample per row, skipping a header row, blank lines and # comments; CRLF, spaces and tabs', function () {
    const csv = '"a","b"\r\n1, 2\r\n\r\n# a comment\n-0.5\t3e-1\n4,5,\n"6";7\n';
    assert.deepEqual(plain(readSamples(text(csv), 'csv', X2)), [[[1, 2]], [[-0.5, 0.3]], [[4, 5]], [[6, 7]]].map((s) => s.map((v) => Array.from(new Float32Array(v)))));
  });

  it('says which line is wrong', function () {
    const rows = ['x0,x1,x2,x3,x4,x5,x6,x7', '1,2,3,4,5,6,7,8', '1,2,3,4,5,6,7,8', '1,2,3,4,5,6,7,8,9'];
    assert.throws(() => readSamples(text(rows.join('\n')), 'csv', X8, 'samples.csv'),
      (e: Error) => e.message === 'samples.csv line 4: 9 values, the input serving_default_x:0 [1,8] takes 8');
    assert.throws(() => readSamples(text('1,2\n3,NaN\n'), 'csv', X2, 's.csv'), (e: Error) => e.message === 's.csv line 2 (sample 1), element 1 is NaN');
    assert.throws(() => readSamples(text('1,2\n-inf,2\n'), 'csv', X2, 's.csv'), /line 2 \(sample 1\), element 0 is -Infinity/);
    assert.throws(() => readSamples(text('1,2\n3,four\n'), 'csv', X2, 's.csv'), /s\.csv line 2, column 2: "four" is not a number/);
    assert.throws(() => readSamples(text('1,,2\n'), 'csv', [{ name: 'x', shape: [3] }], 's.csv'), /s\.csv line 1, column 2: "" is not a number/);
    assert.throws(() => readSamples(text('a,b\n'), 'csv', X2, 's.csv'), /s\.csv: no samples/);
    assert.throws(() => readSamples(text('1,2,3,4,5\n'), 'csv', TWO_INPUTS, 's.csv'), /s\.csv: CSV carries one input per sample, the model has 2 \(a \[1,2\], b \[1,3\]\); use JSON/);
  });
});

describe('quantize: readSamples, .npy', function () {
  it('reads version 1.0 float32 of shape (N, elements)', function () {
    const file = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }", bytesOf(new Float32Array([1, 2, 3, 4, 5.5, -6])));
    assert.equal(file.indexOf(0x0a), 127); // header padded to 128 bytes, ending in '\n'
    assert.deepEqual(plain(readSamples(file, 'npy', X2)), [[[1, 2]], [[3, 4]], [[5.5, -6]]]);
  });

  it('reads version 2.0 float64 of shape (N, 1, 2) (the input shape with its batch of 1)', function () {
    const file = npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1, 2), }", bytesOf(new Float64Array([0.25, 0.5, 1e-3, 7])));
    assert.deepEqual(plain(readSamples(file, 'auto', X2)), [[[0.25, 0.5]], [[Math.fround(1e-3), 7]]]);
  });

  it('reads version 3.0 and the integer types |i1, |u1, <i2, <i4 as their values', function () {
    const cases: Array<[string, ArrayBufferView, number[]]> = [
      ['|i1', new Int8Array([-128, 127]), [-128, 127]],
      ['|u1', new Uint8Array([0, 255]), [0, 255]],
      ['<i2', new Int16Array([-32768, 300]), [-32768, 300]],
      ['<i4', new Int32Array([-100000, 7]), [-100000, 7]],
    ];
    for (const [descr, data, expected] of cases) {
      const file = npy(3, `{'descr': '${descr}', 'fortran_order': False, 'shape': (1, 2), }`, bytesOf(data));
      assert.deepEqual(plain(readSamples(file, 'npy', X2)), [[expected]], descr);
    }
    const scalars = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", bytesOf(new Float32Array([1, 2, 3])));
    assert.deepEqual(plain(readSamples(scalars, 'npy', SCALAR)), [[[1]], [[2]], [[3]]]);
  });

  it('refuses what it cannot read, saying why', function () {
    const f4 = bytesOf(new Float32Array([1, 2]));
    const header = (descr: string, fortran: string, shape: string): string => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
    const read = (file: Uint8Array, inputs = X2): unknown => readSamples(file, 'npy', inputs, 'x.npy');
    assert.throws(() => read(npy(1, header('<f4', 'True', '(1, 2)'), f4)), /x\.npy: fortran_order is True/);
    assert.throws(() => read(npy(1, header('>f4', 'False', '(1, 2)'), f4)), /x\.npy: dtype '>f4' is big-endian/);
    assert.throws(() => read(npy(1, header('<c8', 'False', '(1, 1)'), new Uint8Array(8))), /x\.npy: dtype '<c8' is not supported/);
    assert.throws(() => read(npy(1, header('<f4', 'False', '(2, 2)'), f4)), /x\.npy: shape \(2, 2\) needs 16 bytes of data, the file has 8/);
    assert.throws(() => read(npy(1, header('<f4', 'False', '(2,)'), f4)), /x\.npy: shape \(2\) gives samples of 1 value, the input x \[1,2\] takes 2/);
    assert.throws(() => read(npy(1, header('<f4', 'False', '()'), f4.subarray(0, 4))), /0-dimensional/);
    assert.throws(() => read(npy(1, header('<f4', 'False', '(0, 2)'), new Uint8Array(0))), /x\.npy: no samples/);
    assert.throws(() => read(npy(1, "{'descr': '<f4', 'fortran_order': False, }", f4)), /x\.npy: the header has no 'shape'/);
    assert.throws(() => read(npy(4, header('<f4', 'False', '(1, 2)'), f4)), /x\.npy: \.npy version 4\.0 is not supported/);
    assert.throws(() => read(text('not numpy')), /x\.npy: not a \.npy file/);
    const truncated = npy(1, header('<f4', 'False', '(1, 2)'), f4).subarray(0, 40);
    assert.throws(() => read(truncated), /the file ends before/);
    const nan = npy(1, header('<f4', 'False', '(2, 2)'), bytesOf(new Float32Array([1, 2, 3, NaN])));
    assert.throws(() => read(nan), (e: Error) => e.message === 'x.npy: sample 1, element 1 is NaN');
    assert.throws(() => readSamples(npy(1, header('<f4', 'False', '(1, 5)'), new Uint8Array(20)), 'npy', TWO_INPUTS, 'x.npy'), /\.npy carries one input per sample/);
  });
});

describe('quantize: readSamples, raw float32', function () {
  it('reads TF\'s representative sets (golden/tf/NAME.representative.f32): 100 samples in file order', function () {
    for (const [name, shape] of [['kws_dscnn_tiny', [1, 49, 10, 1]], ['accel_cnn1d', [1, 128, 3]], ['sine_mlp', [1, 1]]] as const) {
      const bytes = readShared(`golden/tf/${name}.representative.f32`);
      const samples = readSamples(bytes, 'auto', [{ name: 'x', shape: [...shape] }], `${name}.representative.f32`);
      const perSample = (shape as readonly number[]).reduce((a, b) => a * b, 1);
      assert.equal(samples.length, 100, name);
      const buffer = Buffer.from(bytes);
      for (const s of [0, 57, 99]) {
        for (const k of [0, perSample - 1]) assert.equal(samples[s][0][k], buffer.readFloatLE((s * perSample + k) * 4), `${name} sample ${s} element ${k}`);
      }
    }
  });

  it('refuses sizes that do not divide, NaN/Inf, empty files and several inputs', function () {
    assert.throws(() => readSamples(new Uint8Array(6), 'f32', X2, 'x.f32'), /x\.f32: 6 bytes is not a whole number of float32 values/);
    assert.throws(() => readSamples(new Uint8Array(12), 'f32', X2, 'x.f32'), /x\.f32: 3 float32 values is not a multiple of the 2 the input x \[1,2\] takes/);
    assert.throws(() => readSamples(new Uint8Array(0), 'f32', X2, 'x.f32'), /x\.f32: the file is empty/);
    assert.throws(() => readSamples(bytesOf(new Float32Array([1, 2, Infinity, 0])), 'f32', X2, 'x.f32'), (e: Error) => e.message === 'x.f32: sample 1, element 0 is Infinity');
    assert.throws(() => readSamples(new Uint8Array(20), 'f32', TWO_INPUTS, 'x.f32'), /raw float32 carries one input per sample/);
  });
});

describe('quantize: modelInputs', function () {
  it('gives the names and shapes readSamples needs', function () {
    const inputs = modelInputs(loadModel(readShared('models/keras/kws_dscnn_tiny.int8.tflite')));
    assert.deepEqual(inputs, [{ name: 'serving_default_keras_tensor_10:0', shape: [1, 49, 10, 1] }]);
  });
});

describe('quantize: sample format detection', function () {
  it('goes by the extension, else by the contents', function () {
    assert.equal(detectSampleFormat(text('1,2'), 'data.JSON'), 'json');
    assert.equal(detectSampleFormat(new Uint8Array(8), 'x.csv'), 'csv');
    assert.equal(detectSampleFormat(new Uint8Array(8), 'x.bin'), 'f32');
    assert.equal(detectSampleFormat(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4))), 'npy');
    assert.equal(detectSampleFormat(text(' \n[[1,2]]')), 'json');
    assert.equal(detectSampleFormat(text('a,b\n1,2\n')), 'csv');
    assert.equal(detectSampleFormat(bytesOf(new Float32Array([1.5, -2]))), 'f32');
  });
});

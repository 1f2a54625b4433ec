import assert from 'node:assert/strict';
import { formatInspectReport, groupDigits, table } from '../../lib/inspect/format.js';
import { inspect } from '../../lib/inspect/index.js';
import { model, operator, singleOp, subgraph, tensor } from './build.js';

describe('formatInspectReport', function () {
  // x[1,64] int8 -> FC 128 (int8 weights) -> y; plus a custom op TFLM lacks.
  const tensors = [
    tensor({ name: 'x', shape: [1, 64], dtype: 'int8', scale: [0.0244801156], zeroPoint: [-128] }),
    tensor({ name: 'w', shape: [128, 64], dtype: 'int8', constant: true, scale: [0.01, 0.02], zeroPoint: [0, 0] }),
    tensor({ name: 'b', shape: [128], dtype: 'int32', constant: true }),
    tensor({ name: 'h', shape: [1, 128], dtype: 'int8', scale: [0.05], zeroPoint: [3] }),
    tensor({ name: 'y', shape: [1, 128], dtype: 'int8', scale: [0.05], zeroPoint: [3] }),
  ];
  const report = inspect(model([subgraph(tensors, [
    operator('FULLY_CONNECTED', [0, 1, 2], [3], { version: 4 }),
    operator('CUSTOM', [3], [4], { customCode: 'MyOp' }),
  ], [0], [4])]), { byteLength: 12345 });
  const text = formatInspectReport(report);

  it('shows the summary figures', function () {
    assert.match(text, /flash \(file size\)\s+12,345 B \(12\.1 KiB\)/);
    assert.match(text, /arena \(RAM\)\s+not planned: unsupported ops: operator 1 \(MyOp, int8\)/);
    // 8192 int8 weights + 128 int32 biases = 8320 elements, 8192 + 512 bytes
    assert.match(text, /parameters\s+8,320 elements in 2 constant tensors, 8,704 B \(8\.5 KiB\)/);
    assert.match(text, /MACs\s+8,192 \(not estimated: CUSTOM:MyOp\)/);
    assert.match(text, /TFLM\s+NOT supported \(1 problem\)/);
  });

  it('lists op counts and the per-operator table with MACs', function () {
    assert.match(text, /^ {2}FULLY_CONNECTED\s+1$/m);
    assert.match(text, /^ {2}0\s+FULLY_CONNECTED\s+4\s+int8\[1,64\] \+2 const\s+int8\[1,128\]\s+8,192\s+ok$/m);
    assert.match(text, /^ {2}1\s+CUSTOM:MyOp\s+1\s+int8\[1,128\]\s+int8\[1,128\]\s+n\/a\s+NO$/m);
  });

  it('shows inputs and outputs with quantization', function () {
    assert.match(text, /subgraph 0\s+input\s+x\s+0\s+int8\[1,64\]\s+s=0\.0244801 zp=-128/);
    assert.match(text, /subgraph 0\s+output\s+y\s+4\s+int8\[1,128\]\s+s=0\.05 zp=3/);
  });

  it('lists the TFLM problems', function () {
    assert.match(text, /TFLM support \(tflite-micro 90b983c2b3f1, reference kernels\): NO/);
    assert.match(text, /- custom op 'MyOp' is not in TFLM .*\(operator 1\)/);
  });

  it('appends tensor tables on request, per-channel scales summarised', function () {
    assert.doesNotMatch(text, /Tensors of subgraph/);
    const long = formatInspectReport(report, { tensors: true });
    assert.match(long, /Tensors of subgraph 0 \(main\)/);
    assert.match(long, /^ {2}1\s+w\s+int8\[128,64\]\s+8,192\s+const\s+per-channel x2 \(dim 0\) s=0\.01\.\.0\.02 zp=0$/m);
  });

  it('says supported for a model TFLM runs', function () {
    const ok = formatInspectReport(inspect(singleOp('RELU', [{ shape: [4] }], [{ shape: [4] }])));
    assert.match(ok, /TFLM\s+supported/);
    assert.match(ok, /flash \(file size\)\s+unknown/);
  });

  it('shortens a long list of ops without MAC estimates', function () {
    const tensors = [0, 1, 2, 3, 4].map(() => tensor({ shape: [4], dtype: 'int16' }));
    const ops = ['A', 'B', 'C', 'D'].map((name, i) => operator('CUSTOM', [i], [i + 1], { customCode: name }));
    const long = formatInspectReport(inspect(model([subgraph(tensors, ops, [0], [4])])));
    assert.match(long, /MACs\s+0 \(4 ops not estimated, n\/a below\)/);
  });
});

describe('format helpers', function () {
  it('groups digits', function () {
    assert.deepEqual([groupDigits(0), groupDigits(999), groupDigits(1000), groupDigits(1234567)], ['0', '999', '1,000', '1,234,567']);
  });
  it('aligns columns', function () {
    assert.deepEqual(table(['a', 'n'], [['xyz', '1'], ['q', '100']], [1]), ['a      n', '---  ---', 'xyz    1', 'q    100']);
  });
});

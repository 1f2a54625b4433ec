// formatReport: the text `tinyml quantize` prints, on a hand-built report whose figures are chosen
// so each line can be written out here.
import assert from 'node:assert/strict';
import { formatNumber, formatReport, formatSqnr } from '../../lib/quantize/format.js';
import type { QuantizeReport, TensorQuantization } from '../../lib/quantize/types.js';

function row(tensor: number, name: string, sqnrDb: number | null, extra: Partial<TensorQuantization> = {}): TensorQuantization {
  return { subgraph: 0, tensor, name, dtype: 'int8', scale: [0.5], zeroPoint: [-3], min: -1, max: 2, sqnrDb, ...extra };
}

const REPORT: QuantizeReport = {
  mode: 'int8',
  sizeBefore: 10000,
  sizeAfter: 2500,
  runsOnTflm: true,
  notes: [],
  tensors: [
    row(0, 'input', 40),
    row(1, 'conv/weights', 12.5, { scale: [0.25, 0.125], zeroPoint: [0, 0], quantizedDimension: 3, min: -0.5, max: 0.75 }),
    row(2, 'tfl.quantize', null, { min: null, max: null }),
    row(3, 'bias', Infinity, { dtype: 'int32' }),
    row(4, `long/${'x'.repeat(80)}`, 30),
  ],
  outputs: [{ output: 0, name: 'Identity', mae: 0.00125, maxAbs: 0.5, rmse: 0.0000123456 }],
  evaluatedOn: 'evaluation',
  samples: 50,
  top1Agreement: 0.96,
  accuracyFloat: 0.9,
  accuracyQuantized: 0.88,
};

describe('quantize: formatReport', function () {
  const text = formatReport(REPORT);
  const lines = text.split('\n');

  it('shows size before, after and the ratio', function () {
    assert.ok(lines.includes('  before  10,000 B (9.8 KiB)'), text);
    assert.ok(lines.includes('  after   2,500 B (2.4 KiB)'), text);
    assert.ok(lines.includes('  ratio   0.250 (4.00x smaller)'), text);
    assert.match(formatReport({ ...REPORT, sizeAfter: 12000 }), /ratio {3}1\.200 \(1\.20x larger\)/);
  });

  it('shows the output errors, top-1 agreement and accuracies', function () {
    assert.ok(text.includes('Error against the float model (50 evaluation samples)'));
    const output = lines.find((l) => l.includes('Identity'))!;
    assert.deepEqual(output.trim().split(/\s+/), ['0', 'Identity', '0.00125', '0.5', '1.235e-5']);
    assert.ok(lines.includes('  top-1 agreement: 96.0 % (48 of 50)'));
    assert.ok(lines.includes('  accuracy on the labels: float 90.0 %, quantized 88.0 %'));
    const regression = formatReport({ ...REPORT, top1Agreement: null, accuracyFloat: null, accuracyQuantized: null });
    assert.ok(!regression.includes('top-1') && !regression.includes('accuracy'));
  });

  it('lists every tensor, worst SQNR first, exact and unpaired last', function () {
    const start = lines.findIndex((l) => l.startsWith('Tensors, worst SQNR first'));
    const rows = lines.slice(start + 3).filter((l) => l.trim() !== '');
    assert.deepEqual(rows.map((l) => l.trim().split(/\s+/)[0]), ['1', '4', '0', '3', '2']);
    assert.deepEqual(rows.map((l) => l.trim().split(/\s+/).at(-1)), ['12.5', '30.0', '40.0', 'exact', '-']);
    assert.ok(rows[0].includes('per-channel x2 (dim 3) s=0.125..0.25 zp=0'), rows[0]);
    assert.ok(rows[0].includes('-0.5..0.75'), rows[0]);
    assert.ok(rows[2].includes('s=0.5 zp=-3'), rows[2]);
    assert.ok(rows[1].includes(`long/${'x'.repeat(54)}…`) && !rows[1].includes('x'.repeat(56)), rows[1]);
  });

  it('says when TFLM cannot run the model and prints the notes', function () {
    const dynamic = formatReport({ ...REPORT, mode: 'dynamic', runsOnTflm: false, notes: ['TFLM does not run hybrid models'] });
    assert.match(dynamic, /^Quantization: dynamic, dynamic range \(int8 weights, float activations\); TFLM does NOT run it\n {2}note: TFLM does not run hybrid models\n/);
  });

  it('formats numbers and SQNR values', function () {
    assert.deepEqual([formatNumber(0), formatNumber(0.0004321), formatNumber(0.012345678), formatNumber(123456)], ['0', '4.321e-4', '0.01235', '1.235e+5']);
    assert.deepEqual([formatSqnr(null), formatSqnr(Infinity), formatSqnr(-Infinity), formatSqnr(21.349)], ['-', 'exact', '-Infinity', '21.3']);
  });
});

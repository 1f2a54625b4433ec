// Readable text of a QuantizeReport for `tinyml quantize`: plain aligned tables as `tinyml inspect`
// prints them (lib/inspect/format.ts), worst tensors first so the cost of quantization shows at the top.
import { formatBytes, formatQuantization, table } from '../inspect/format.js';
import { quantizationInfo } from '../inspect/tensors.js';
import type { QuantizeReport, TensorQuantization } from './types.js';

const NAME_WIDTH = 60;

const MODE_TEXT: Readonly<Record<QuantizeReport['mode'], string>> = {
  dynamic: 'dynamic range (int8 weights, float activations)',
  int8: 'full integer (int8 activations, int8 weights, int32 biases)',
  int16x8: 'int16 activations, int8 weights, int64 biases',
};

/** Small and large errors in exponent form, others with 4 significant digits. */
export function formatNumber(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  const magnitude = Math.abs(v);
  return magnitude < 1e-3 || magnitude >= 1e5 ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}

export function formatSqnr(db: number | null): string {
  if (db === null) return '-';
  if (db === Infinity) return 'exact';
  return db.toFixed(1);
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

function shortName(name: string): string {
  return name.length <= NAME_WIDTH ? name : `${name.slice(0, NAME_WIDTH - 1)}…`;
}

function indent(lines: string[]): string[] {
  return lines.map((l) => `  ${l}`);
}

function header(report: QuantizeReport): string[] {
  const tflm = report.runsOnTflm ? 'TFLM runs it' : 'TFLM does NOT run it';
  return [`Quantization: ${report.mode}, ${MODE_TEXT[report.mode]}; ${tflm}`, ...report.notes.map((n) => `  note: ${n}`)];
}

function size(report: QuantizeReport): string[] {
  const ratio = report.sizeAfter / report.sizeBefore;
  const change = ratio <= 1 ? `${(1 / ratio).toFixed(2)}x smaller` : `${ratio.toFixed(2)}x larger`;
  return ['Size', `  before  ${formatBytes(report.sizeBefore)}`, `  after   ${formatBytes(report.sizeAfter)}`, `  ratio   ${ratio.toFixed(3)} (${change})`];
}

function accuracy(report: QuantizeReport): string[] {
  if (report.samples === 0) return ['Error against the float model', '  not measured: no samples given (representative or evaluation)'];
  const rows = report.outputs.map((o) => [String(o.output), shortName(o.name), formatNumber(o.mae), formatNumber(o.maxAbs), formatNumber(o.rmse)]);
  const lines = [
    `Error against the float model (${report.samples} ${report.evaluatedOn} sample${report.samples === 1 ? '' : 's'})`,
    ...indent(table(['#', 'output', 'MAE', 'max abs', 'RMSE'], rows, [0, 2, 3, 4])),
  ];
  if (report.top1Agreement !== null) {
    const agreeing = Math.round(report.top1Agreement * report.samples);
    lines.push(`  top-1 agreement: ${percent(report.top1Agreement)} (${agreeing} of ${report.samples})`);
  }
  if (report.accuracyFloat !== null && report.accuracyQuantized !== null) {
    lines.push(`  accuracy on the labels: float ${percent(report.accuracyFloat)}, quantized ${percent(report.accuracyQuantized)}`);
  }
  return lines;
}

/** Ascending SQNR (worst first), unpaired tensors last, ties in tensor order. */
function worstFirst(a: TensorQuantization, b: TensorQuantization): number {
  const x = a.sqnrDb ?? Number.POSITIVE_INFINITY;
  const y = b.sqnrDb ?? Number.POSITIVE_INFINITY;
  if (x !== y) return x < y ? -1 : 1;
  if ((a.sqnrDb === null) !== (b.sqnrDb === null)) return a.sqnrDb === null ? 1 : -1;
  return a.subgraph - b.subgraph || a.tensor - b.tensor;
}

function range(t: TensorQuantization): string {
  return t.min === null || t.max === null ? '-' : `${formatNumber(t.min)}..${formatNumber(t.max)}`;
}

function tensorRows(report: QuantizeReport): string[] {
  const rows = [...report.tensors].sort(worstFirst).map((t) => [
    String(t.tensor),
    shortName(t.name),
    t.dtype,
    formatQuantization(quantizationInfo({
      scale: t.scale, zeroPoint: t.zeroPoint, quantizedDimension: t.quantizedDimension ?? 0, min: [], max: [], details: null,
    })),
    range(t),
    formatSqnr(t.sqnrDb),
  ]);
  return [
    'Tensors, worst SQNR first (dB; exact = no quantization error, - = no float counterpart)',
    ...indent(table(['#', 'name', 'type', 'quantization', 'float range', 'SQNR'], rows, [0, 5])),
  ];
}

export function formatReport(report: QuantizeReport): string {
  const sections = [header(report), size(report), accuracy(report), tensorRows(report)];
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

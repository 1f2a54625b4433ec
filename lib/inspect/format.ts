// Readable text for `tinyml inspect`: aligned plain-text tables, no colours, no dependencies.
import type { InspectReport, IoTensor, OperatorRow, QuantizationInfo, TensorRow } from './report.js';

export interface FormatOptions {
  /** Append every subgraph's tensor table (long for big models). */
  tensors?: boolean;
}

/** 1234567 -> '1,234,567' without depending on the host locale. */
export function groupDigits(n: number): string {
  const [whole, fraction] = String(n).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${groupDigits(bytes)} B`;
  const kib = bytes / 1024;
  return kib < 1024 ? `${groupDigits(bytes)} B (${kib.toFixed(1)} KiB)` : `${groupDigits(bytes)} B (${(kib / 1024).toFixed(2)} MiB)`;
}

function formatScale(scale: number): string {
  return String(Number(scale.toPrecision(6)));
}

export function formatQuantization(q: QuantizationInfo | null): string {
  if (q === null) return '';
  if (!q.perChannel) return `s=${formatScale(q.scale ?? q.scaleMin)} zp=${q.zeroPoint ?? q.zeroPointMin}`;
  const zeroPoints = q.zeroPoint !== null ? `${q.zeroPoint}` : `${q.zeroPointMin}..${q.zeroPointMax}`;
  return `per-channel x${q.channels} (dim ${q.quantizedDimension}) s=${formatScale(q.scaleMin)}..${formatScale(q.scaleMax)} zp=${zeroPoints}`;
}

function typed(dtype: string | null, shape: readonly number[] | null): string {
  return dtype === null || shape === null ? '-' : `${dtype}[${shape.join(',')}]`;
}

/** Columns separated by two spaces; columns listed in rightAligned are padded on the left. */
export function table(headers: string[], rows: string[][], rightAligned: number[] = []): string[] {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (rightAligned.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function indent(lines: string[]): string[] {
  return lines.map((l) => `  ${l}`);
}

function summary(report: InspectReport): string[] {
  const { model, parameters, macs, tflm } = report;
  const missing = macs.notEstimated;
  const notEstimated = missing.length === 0 ? ''
    : missing.length <= 3 ? ` (not estimated: ${missing.join(', ')})`
      : ` (${missing.length} ops not estimated, n/a below)`;
  const operatorCount = report.ops.operators.length;
  const rows: string[][] = [
    ['description', model.description || '-'],
    ['schema version', String(model.schemaVersion)],
    ['subgraphs', String(model.subgraphs)],
    ['operators', String(operatorCount)],
    ['flash (file size)', model.flashBytes === null ? 'unknown' : formatBytes(model.flashBytes)],
    ['arena (RAM)', model.arenaBytes === null ? `not planned: ${model.arenaNote ?? 'unknown'}` : formatBytes(model.arenaBytes)],
    ['parameters', `${groupDigits(parameters.elements)} elements in ${parameters.tensors} constant tensors, ${formatBytes(parameters.bytes)}`],
    ['MACs', `${groupDigits(macs.total)}${notEstimated}`],
    ['TFLM', tflm.supported ? 'supported' : `NOT supported (${tflm.problems.length} problem${tflm.problems.length === 1 ? '' : 's'})`],
    ['metadata', model.metadataNames.join(', ') || '-'],
  ];
  if (model.minRuntimeVersion !== null) rows.push(['min runtime version', model.minRuntimeVersion]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['Model', ...indent(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`))];
}

function histogram(report: InspectReport): string[] {
  const rows = Object.entries(report.ops.histogram)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([op, count]) => [op, String(count)]);
  return ['Ops', ...indent(table(['op', 'count'], rows, [1]))];
}

function isConstantOperand(report: InspectReport, subgraph: number, tensor: number): boolean {
  return tensor >= 0 && report.tensors[subgraph]?.tensors[tensor]?.constant === true;
}

function operatorCells(report: InspectReport, row: OperatorRow, multiSubgraph: boolean): string[] {
  const activations = row.inputs.filter((i) => i.tensor >= 0 && !isConstantOperand(report, row.subgraph, i.tensor));
  const constants = row.inputs.length - activations.length - row.inputs.filter((i) => i.tensor < 0).length;
  const inputs = activations.map((i) => typed(i.dtype, i.shape)).join(' ') + (constants > 0 ? ` +${constants} const` : '');
  const status = row.tflm.problem !== null ? 'NO' : row.tflm.confidence === 'likely' || row.tflm.confidence === 'uncertain' ? '?' : 'ok';
  return [
    multiSubgraph ? `${row.subgraph}:${row.index}` : String(row.index),
    row.op,
    String(row.version),
    inputs.trim() || '-',
    row.outputs.map((o) => typed(o.dtype, o.shape)).join(' ') || '-',
    row.macsEstimated ? groupDigits(row.macs) : 'n/a',
    status,
  ];
}

function operators(report: InspectReport): string[] {
  const multi = report.model.subgraphs > 1;
  const rows = report.ops.operators.map((row) => operatorCells(report, row, multi));
  return [
    'Operators',
    ...indent(table(['#', 'op', 'v', 'inputs', 'outputs', 'MACs', 'TFLM'], rows, [0, 2, 5])),
    "  (TFLM: ok = registrable and takes this input type; ? = input types only 'likely'/'uncertain'; NO = see below)",
  ];
}

function ioRows(direction: string, entries: readonly IoTensor[], prefix: string): string[][] {
  return entries.map((e) => [prefix, direction, e.name, String(e.tensor), typed(e.dtype, e.shape), formatQuantization(e.quantization)]);
}

function inputsOutputs(report: InspectReport): string[] {
  const rows: string[][] = [];
  for (const sg of report.io) {
    rows.push(...ioRows('input', sg.inputs, `subgraph ${sg.subgraph}`), ...ioRows('output', sg.outputs, `subgraph ${sg.subgraph}`));
  }
  for (const sig of report.signatureDefs) {
    rows.push(...ioRows('input', sig.inputs, `signature ${sig.key}`), ...ioRows('output', sig.outputs, `signature ${sig.key}`));
  }
  return ['Inputs and outputs', ...indent(table(['where', 'dir', 'name', 'tensor', 'type', 'quantization'], rows, [3]))];
}

function tflmSection(report: InspectReport): string[] {
  const { tflm } = report;
  const lines = [`TFLM support (tflite-micro ${tflm.commit.slice(0, 12)}, reference kernels): ${tflm.supported ? 'yes' : 'NO'}`];
  if (tflm.problems.length > 0) lines.push('  problems:', ...tflm.problems.map((p) => `    - ${p}`));
  if (tflm.caveats.length > 0) lines.push('  caveats:', ...tflm.caveats.map((c) => `    - ${c}`));
  return lines;
}

function boardSection(report: InspectReport): string[] {
  const fit = report.board;
  if (fit === undefined) return [];
  const lines = [`Board ${fit.board} (${fit.boardName}): ${fit.message}`];
  lines.push(`  flash  needed ${groupDigits(fit.flash.needed)} B (model + runtime), available ${groupDigits(fit.flash.available)} B, margin ${groupDigits(fit.flash.margin)} B`);
  if (fit.ram !== null) {
    lines.push(`  RAM    needed ${groupDigits(fit.ram.needed)} B (arena + runtime + stack), available ${groupDigits(fit.ram.available)} B, margin ${groupDigits(fit.ram.margin)} B`);
  }
  return lines;
}

function tensorCells(t: TensorRow): string[] {
  return [
    String(t.index), t.name, typed(t.dtype, t.shape), groupDigits(t.bytes),
    t.variable ? 'variable' : t.constant ? 'const' : '', formatQuantization(t.quantization),
  ];
}

function tensorTables(report: InspectReport): string[] {
  return report.tensors.flatMap((sg) => [
    `Tensors of subgraph ${sg.subgraph}${sg.name ? ` (${sg.name})` : ''}`,
    ...indent(table(['#', 'name', 'type', 'bytes', 'kind', 'quantization'], sg.tensors.map(tensorCells), [0, 3])),
    '',
  ]);
}

export function formatInspectReport(report: InspectReport, options: FormatOptions = {}): string {
  const sections = [summary(report), histogram(report), operators(report), inputsOutputs(report), tflmSection(report), boardSection(report)]
    .filter((lines) => lines.length > 0);
  const text = sections.map((lines) => lines.join('\n')).join('\n\n');
  return options.tensors ? `${text}\n\n${tensorTables(report).join('\n').trimEnd()}\n` : `${text}\n`;
}

// The invoke benchmark's tables: what was measured per model (the shape of models.json) and
// how it prints: one table per model (a row per runtime) and a summary (a row per model).
import { formatTable } from './table.js';
import type { Timing } from './timing.js';

export type Refused = { refused: string };

export interface Check {
  /** Max |output - TFLM's output| in output units (LSBs for integer outputs); null without a golden. */
  maxAbsDiff: number | null;
  /** Within tolerance of TFLM's output (true when there is nothing to compare with). */
  matches: boolean;
}

export interface OursResult extends Check {
  loadMs: number;
  allocateMs: number;
  invoke: Timing;
  arenaBytes: number;
  /** heapUsed + arrayBuffers after loadModel + allocate() minus before, both after a full GC; null without --expose-gc. */
  heapBytes: number | null;
}

export interface PeerResult extends Check {
  loadMs: number;
  invoke: Timing;
  /** What went wrong after the timed runs (a crash when freeing the model), if anything. */
  note?: string;
}

export interface Row {
  name: string;
  file: string;
  inputsFrom: string;
  bytes: number;
  operators: number;
  macs: number | null;
  outputDtype: string;
  tflm: { invokeUs: number | null; arenaBytes: number | null };
  ours: OursResult | Refused;
  peers: Record<string, PeerResult | Refused>;
}

/** Milliseconds with three significant digits, never in exponent form. */
function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

function macsPerSecond(macs: number | null, medianMs: number): string {
  if (!macs) return '-';
  const perSecond = macs / (medianMs / 1000);
  return perSecond >= 1e9 ? `${(perSecond / 1e9).toPrecision(3)} G` : `${(perSecond / 1e6).toPrecision(3)} M`;
}

function diffText(c: Check, outputDtype: string): string {
  if (c.maxAbsDiff === null) return 'no golden';
  const unit = outputDtype.split(',').every((d) => d !== 'float32') ? ' LSB' : '';
  const value = c.maxAbsDiff === 0 ? '0' : c.maxAbsDiff >= 0.01 ? c.maxAbsDiff.toFixed(2) : c.maxAbsDiff.toExponential(1);
  return `${value}${unit}${c.matches ? '' : ' DIFFERS'}`;
}

export function isRefused<T extends object>(r: T | Refused): r is Refused {
  return 'refused' in r;
}

/** Our median over theirs: below 1 means ours is faster. '?' marks a peer whose output did not match. */
function ratio(ours: OursResult | Refused, theirsMs: number | null, matches = true): string {
  if (isRefused(ours) || theirsMs === null || theirsMs <= 0) return '-';
  const r = ours.invoke.medianMs / theirsMs;
  return `${r >= 10 ? r.toFixed(0) : r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)}×${matches ? '' : '?'}`;
}

function shorten(text: string, max = 110): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

export function modelTable(row: Row, peerIds: readonly string[]): string {
  const header = ['runtime', 'load ms', 'alloc ms', 'med ms', 'p90 ms', 'runs', 'MAC/s', 'arena B', 'heap KB', 'ours÷it', 'max|Δ| vs TFLM'];
  const body: string[][] = [];
  const ours = row.ours;
  const notes: string[] = [];
  if (isRefused(ours)) notes.push(`  tinyml (ours) refused: ${ours.refused}`);
  else {
    body.push(['tinyml (ours)', ms(ours.loadMs), ms(ours.allocateMs), ms(ours.invoke.medianMs), ms(ours.invoke.p90Ms),
      String(ours.invoke.runs), macsPerSecond(row.macs, ours.invoke.medianMs), String(ours.arenaBytes),
      ours.heapBytes === null ? 'n/a' : (ours.heapBytes / 1024).toFixed(1), '', diffText(ours, row.outputDtype)]);
  }
  const tflmMs = row.tflm.invokeUs === null ? null : row.tflm.invokeUs / 1000;
  body.push(['TFLM (recorded)', '', '', tflmMs === null ? '-' : ms(tflmMs), '', tflmMs === null ? '' : '5',
    tflmMs === null ? '-' : macsPerSecond(row.macs, tflmMs), String(row.tflm.arenaBytes ?? '-'), '', ratio(ours, tflmMs), 'is the golden']);
  for (const id of peerIds) {
    const peer = row.peers[id];
    if (peer === undefined) continue;
    if (isRefused(peer)) {
      notes.push(`  ${id} refused: ${peer.refused}`);
      continue;
    }
    if (peer.note) notes.push(`  ${id}: ${peer.note}`);
    body.push([id, Number.isNaN(peer.loadMs) ? '-' : ms(peer.loadMs), '', ms(peer.invoke.medianMs), ms(peer.invoke.p90Ms), String(peer.invoke.runs),
      macsPerSecond(row.macs, peer.invoke.medianMs), '', '', ratio(ours, peer.invoke.medianMs, peer.matches), diffText(peer, row.outputDtype)]);
  }
  const macs = row.macs === null ? 'MACs n/a' : `${(row.macs / 1e6).toPrecision(3)} M MACs`;
  const title = `${row.name}  (${row.file}; ${row.bytes} B, ${row.operators} ops, ${macs}, ${row.outputDtype} out; inputs: ${row.inputsFrom})`;
  return [title, formatTable(header, body), ...notes].join('\n');
}

export function summaryTable(rows: readonly Row[], peerIds: readonly string[]): string {
  const header = ['model', 'ours med ms', 'p90 ms', 'MAC/s', 'arena ours/TFLM', 'TFLM ms', 'ours÷TFLM', ...peerIds.map((id) => `ours÷${id}`)];
  const body = rows.map((row) => {
    const ours = row.ours;
    const tflmMs = row.tflm.invokeUs === null ? null : row.tflm.invokeUs / 1000;
    const peerCells = peerIds.map((id) => {
      const peer = row.peers[id];
      if (peer === undefined) return '-';
      return isRefused(peer) ? 'refused' : ratio(ours, peer.invoke.medianMs, peer.matches);
    });
    if (isRefused(ours)) return [row.name, 'refused', '', '', `-/${row.tflm.arenaBytes ?? '-'}`, tflmMs === null ? '-' : ms(tflmMs), '-', ...peerCells];
    return [row.name, ms(ours.invoke.medianMs), ms(ours.invoke.p90Ms), macsPerSecond(row.macs, ours.invoke.medianMs),
      `${ours.arenaBytes}/${row.tflm.arenaBytes ?? '-'}`, tflmMs === null ? '-' : ms(tflmMs), ratio(ours, tflmMs), ...peerCells];
  });
  return formatTable(header, body);
}

export function refusalLines(rows: readonly Row[], peerIds: readonly string[]): string[] {
  const lines: string[] = [];
  for (const id of ['ours', ...peerIds]) {
    const byReason = new Map<string, string[]>();
    for (const row of rows) {
      const result = id === 'ours' ? row.ours : row.peers[id];
      if (result && isRefused(result)) {
        const reason = shorten(result.refused, 150);
        byReason.set(reason, [...(byReason.get(reason) ?? []), row.name]);
      }
    }
    for (const [reason, names] of byReason) lines.push(`  ${id === 'ours' ? 'tinyml' : id} refused ${names.join(', ')}: ${reason}`);
  }
  return lines;
}

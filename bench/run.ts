// npm run bench (load part): how long loading a model takes, for every .tflite under
// ../shared/models, ours next to its peers (bench/models.ts has the invoke tables). Prints a
// table and writes bench/results/load.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withProgress } from '../lib/cli/progress.js';
import { loadModel } from '../lib/model/read.js';
import { REPO_ROOT, SHARED, sharedModelPaths } from '../test/support/paths.js';
import { type Loader, ours, peers, type UnavailableLoader } from './loaders.js';
import { describeRuntimes, resultsHeader, runMain, writeResults } from './results.js';
import { formatTable, ms } from './table.js';
import { time, type Timing, type TimingPolicy } from './timing.js';

const POLICY: TimingPolicy = { warmupRuns: 10, minRuns: 11, maxRuns: 1001, budgetMs: 150 };
const RESULTS_FILE = path.join(REPO_ROOT, 'bench', 'results', 'load.json');

type Outcome = Timing | { refused: string };

interface ModelRow {
  model: string;
  bytes: number;
  tensors: number | null;
  operators: number | null;
  results: Record<string, Outcome>;
}

function isAvailable(loader: Loader | UnavailableLoader): loader is Loader {
  return !('unavailable' in loader);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

async function measure(loader: Loader, bytes: Uint8Array): Promise<Outcome> {
  try {
    await loader.load(bytes);
  } catch (err) {
    return { refused: loader.lastRefusal?.() ?? firstLine(err) };
  }
  return time(() => loader.load(bytes), POLICY);
}

function countsOf(bytes: Uint8Array): { tensors: number | null; operators: number | null } {
  try {
    const model = loadModel(bytes);
    return {
      tensors: model.subgraphs.reduce((n, s) => n + s.tensors.length, 0),
      operators: model.subgraphs.reduce((n, s) => n + s.operators.length, 0),
    };
  } catch {
    return { tensors: null, operators: null };
  }
}

function cells(outcome: Outcome | undefined): [string, string] {
  if (outcome === undefined) return ['-', '-'];
  if ('refused' in outcome) return ['refused', ''];
  return [ms(outcome.medianMs), ms(outcome.p90Ms)];
}

function geometricMean(values: readonly number[]): number {
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

/** Per peer: the geometric mean over models both loaded of (peer median / our median). */
function ratioSummary(rows: readonly ModelRow[], loaders: readonly Loader[]): string[] {
  return loaders.filter((l) => l.id !== ours.id).map((loader) => {
    const ratios: number[] = [];
    for (const row of rows) {
      const mine = row.results[ours.id];
      const theirs = row.results[loader.id];
      if (mine && theirs && 'medianMs' in mine && 'medianMs' in theirs) ratios.push(theirs.medianMs / mine.medianMs);
    }
    const refused = rows.filter((row) => 'refused' in (row.results[loader.id] ?? {})).length;
    return ratios.length === 0 ? `${loader.id}: no model loaded by both`
      : `${loader.id} median / ${ours.id} median: geometric mean ${geometricMean(ratios).toFixed(2)}x over ${ratios.length} models`
        + (refused ? ` (${loader.id} refused ${refused})` : '');
  });
}

/** Why loaders refused models, most common first, so one table footnote explains the gaps. */
function refusalSummary(rows: readonly ModelRow[], loaders: readonly Loader[]): string[] {
  const lines: string[] = [];
  for (const loader of loaders) {
    const counts = new Map<string, number>();
    for (const row of rows) {
      const outcome = row.results[loader.id];
      if (outcome && 'refused' in outcome) counts.set(outcome.refused, (counts.get(outcome.refused) ?? 0) + 1);
    }
    for (const [reason, count] of [...counts].sort((a, b) => b[1] - a[1])) {
      lines.push(`  ${loader.id} refused ${count}: ${reason.length > 160 ? `${reason.slice(0, 157)}...` : reason}`);
    }
  }
  return lines.length ? ['Refusals:', ...lines, ''] : [];
}

function flatbuffersVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(require.resolve('flatbuffers/package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '?';
}

async function main(): Promise<void> {
  const files = sharedModelPaths();
  const candidates = [ours, ...(await peers(flatbuffersVersion()))];
  const loaders = candidates.filter(isAvailable);
  const started = Date.now();

  const rows = await withProgress('load time', files, (file) => path.basename(file), async (file) => {
    const bytes = new Uint8Array(fs.readFileSync(file));
    const row: ModelRow = { model: path.relative(path.join(SHARED, 'models'), file), bytes: bytes.byteLength, ...countsOf(bytes), results: {} };
    for (const loader of loaders) row.results[loader.id] = await measure(loader, bytes);
    return row;
  });

  const header = ['model', 'bytes', 'tensors', 'ops', ...loaders.flatMap((l) => [`${l.id} med ms`, `${l.id} p90 ms`])];
  const body = rows.map((row) => [
    row.model, String(row.bytes), String(row.tensors ?? '?'), String(row.operators ?? '?'),
    ...loaders.flatMap((l) => cells(row.results[l.id])),
  ]);
  const seconds = (Date.now() - started) / 1000;
  const out: string[] = [
    formatTable(header, body),
    '',
    ...ratioSummary(rows, loaders),
    '',
    ...refusalSummary(rows, loaders),
    'Loaders:',
    ...candidates.map((l) => `  ${l.id}: ${l.description}` + (isAvailable(l) ? ` [${l.version}]` : ` -- not run: ${l.unavailable}`)),
    `Each: ${POLICY.warmupRuns} warm-up runs, then ${POLICY.minRuns}..${POLICY.maxRuns} runs within ~${POLICY.budgetMs} ms; `
      + `${rows.length} models in ${seconds.toFixed(0)} s; node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}.`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);

  writeResults(RESULTS_FILE, {
    ...resultsHeader('load'),
    policy: POLICY,
    loaders: describeRuntimes(candidates),
    models: rows,
  });
}

runMain(main);

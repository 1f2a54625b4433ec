// npm run bench (second part): invoke time and arena of our interpreter for every model TFLM's
// goldens cover (../shared/golden/*.json), beside TFLM's own recorded figures: the reference
// kernels built natively for x86-64 (invoke_us_median, indicative) and arena_used_bytes. Models
// whose ops the interpreter does not have yet are listed with the reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withProgress } from '../lib/cli/progress.js';
import { Interpreter } from '../lib/interpreter/interpreter.js';
import { seededInputs } from '../lib/interpreter/frames.js';
import { loadModel } from '../lib/model/read.js';
import { REPO_ROOT, SHARED } from '../test/support/paths.js';
import { formatTable, ms } from './table.js';
import { time, type TimingPolicy } from './timing.js';

const POLICY: TimingPolicy = { warmupRuns: 10, minRuns: 11, maxRuns: 501, budgetMs: 500 };
const GOLDEN = path.join(SHARED, 'golden');
const RESULTS_FILE = path.join(REPO_ROOT, 'bench', 'results', 'invoke.json');

interface GoldenFile {
  model: string;
  arena_used_bytes_x86_64?: number;
  cases: Array<{ case: string; invoke_us_median?: number }>;
}

interface Row {
  golden: string;
  model: string;
  tflmInvokeUs: number | null;
  tflmArenaBytes: number | null;
  ours: { medianMs: number; p90Ms: number; runs: number; arenaBytes: number } | { refused: string };
}

async function main(): Promise<void> {
  const goldens = fs.readdirSync(GOLDEN).filter((f) => f.endsWith('.json') && !f.includes('check')).sort();
  const rows = await withProgress('invoke time', goldens, (f) => f, async (file): Promise<Row> => {
    const golden = JSON.parse(fs.readFileSync(path.join(GOLDEN, file), 'utf8')) as GoldenFile;
    const first = golden.cases.find((c) => typeof c.invoke_us_median === 'number');
    const row: Omit<Row, 'ours'> = {
      golden: file.replace(/\.json$/, ''),
      model: golden.model,
      tflmInvokeUs: first?.invoke_us_median ?? null,
      tflmArenaBytes: golden.arena_used_bytes_x86_64 ?? null,
    };
    try {
      const interpreter = new Interpreter(loadModel(new Uint8Array(fs.readFileSync(path.join(SHARED, golden.model)))));
      interpreter.allocate();
      seededInputs(interpreter, 1).forEach((bytes, i) => {
        const tensor = interpreter.input(i);
        new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.byteLength).set(bytes);
      });
      const timing = await time(() => interpreter.invoke(), POLICY);
      return { ...row, ours: { ...timing, arenaBytes: interpreter.arenaUsedBytes } };
    } catch (err) {
      return { ...row, ours: { refused: (err instanceof Error ? err.message : String(err)).split('\n')[0] } };
    }
  });

  const header = ['golden', 'ours med ms', 'ours p90 ms', 'TFLM ms (recorded)', 'ours arena B', 'TFLM arena B'];
  const body = rows.map((r) => 'refused' in r.ours
    ? [r.golden, 'not yet', '', r.tflmInvokeUs === null ? '-' : ms(r.tflmInvokeUs / 1000), '', String(r.tflmArenaBytes ?? '-')]
    : [r.golden, ms(r.ours.medianMs), ms(r.ours.p90Ms), r.tflmInvokeUs === null ? '-' : ms(r.tflmInvokeUs / 1000), String(r.ours.arenaBytes), String(r.tflmArenaBytes ?? '-')]);
  const lines = [
    formatTable(header, body),
    '',
    'ours: median invoke() over up to 501 runs on seed-1 inputs; TFLM: the goldens\' invoke_us_median (reference kernels, x86-64, median of 5; indicative).',
    'TFLM\'s arena figure includes its own bookkeeping (tensor structs, node data); ours counts tensors and kernel scratch.',
    ...rows.filter((r) => 'refused' in r.ours).map((r) => `  not yet ${r.golden}: ${'refused' in r.ours ? r.ours.refused.slice(0, 150) : ''}`),
    `node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify({ benchmark: 'invoke', node: process.version, policy: POLICY, rows }, null, 1)}\n`);
  process.stdout.write(`wrote ${path.relative(REPO_ROOT, RESULTS_FILE)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});

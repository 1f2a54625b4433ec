// npm run fuzz -- --cases N [--seed S]: the fuzz test's cases at any scale, with a summary.
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { type CaseResult, CASE_LIMIT_MS, describeFailure, loadCorpus, runCase } from './fuzz-case.js';

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return value;
}

function main(): void {
  const options = new Command('run-fuzz')
    .description('load damaged copies of the reference models: each must give a Model or a ModelError')
    .option('--cases <n>', 'number of cases', positiveInteger, 10_000)
    .option('--seed <s>', 'run seed (uint32); case k is reproducible from (seed, k)', positiveInteger, Date.now() >>> 0)
    .parse()
    .opts<{ cases: number; seed: number }>();
  const seed = options.seed >>> 0;

  const corpus = loadCorpus();
  const bar = new SingleBar({ stream: process.stderr, format: 'fuzz [{bar}] {value}/{total} cases | {eta}s left' });
  bar.start(options.cases, 0);

  const outcomes = new Map<CaseResult['outcome'], number>();
  const times: number[] = [];
  const failures: string[] = [];
  let slowest: CaseResult | null = null;
  for (let c = 0; c < options.cases; c++) {
    const result = runCase(corpus, seed, c);
    outcomes.set(result.outcome, (outcomes.get(result.outcome) ?? 0) + 1);
    times.push(result.ms);
    if (slowest === null || result.ms > slowest.ms) slowest = result;
    if (result.outcome === 'CRASH' || result.slow) failures.push(describeFailure(seed, result));
    if (c % 100 === 99) bar.update(c + 1);
  }
  bar.update(options.cases);
  bar.stop();

  times.sort((a, b) => a - b);
  const median = times.length > 0 ? times[Math.floor(times.length / 2)] : 0;
  console.log(`seed ${seed}: ${options.cases} cases run`);
  console.log(`  loaded: ${outcomes.get('loaded') ?? 0}`);
  const rejected = [...outcomes].filter(([k]) => k !== 'loaded' && k !== 'CRASH').sort((a, b) => b[1] - a[1]);
  console.log(`  rejected: ${rejected.reduce((n, [, v]) => n + v, 0)} (${rejected.map(([k, v]) => `${k} ${v}`).join(', ')})`);
  console.log(`  crashed (not a ModelError): ${outcomes.get('CRASH') ?? 0}`);
  console.log(`  loadModel time: median ${median.toFixed(3)} ms, max ${(slowest?.ms ?? 0).toFixed(2)} ms` +
    (slowest ? ` (case ${slowest.caseNumber}: ${slowest.model})` : ''));
  console.log(`  over ${CASE_LIMIT_MS} ms twice: ${failures.filter((f) => f.includes('twice')).length}`);
  for (const failure of failures.slice(0, 20)) console.log(`FAIL ${failure}`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

main();

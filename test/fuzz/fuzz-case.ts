// One fuzz case = (seed, case number) -> a reference model, a mutation, a loadModel call.
// The rule every case must keep: loadModel returns a Model or throws ModelError, and takes
// under CASE_LIMIT_MS. Shared by fuzz.test.ts and run-fuzz.ts.
import fs from 'node:fs';
import { ModelError, type ModelErrorCode } from '../../lib/model/errors.js';
import { loadModel } from '../../lib/model/read.js';
import { sharedModelPaths, sharedName } from '../support/paths.js';
import { MUTATORS } from './mutators.js';
import { Prng, caseSeed } from './prng.js';
import { type StructureMap, mapStructure } from './structure.js';

export const CASE_LIMIT_MS = 50;
/** Models at least this big are picked for a quarter of the cases, so they are not drowned out by the 127 small SEANet ones. */
const BIG_MODEL_BYTES = 100_000;
const BIG_MODEL_SHARE = 0.25;

export interface CorpusModel {
  name: string;
  bytes: Uint8Array;
  map: StructureMap;
}

export interface Corpus {
  small: CorpusModel[];
  big: CorpusModel[];
}

export function loadCorpus(): Corpus {
  const corpus: Corpus = { small: [], big: [] };
  for (const file of sharedModelPaths()) {
    const bytes = new Uint8Array(fs.readFileSync(file));
    const model = { name: sharedName(file), bytes, map: mapStructure(bytes) };
    (bytes.length >= BIG_MODEL_BYTES ? corpus.big : corpus.small).push(model);
  }
  return corpus;
}

export interface CaseResult {
  caseNumber: number;
  model: string;
  mutation: string;
  /** 'loaded', a ModelError code, or 'CRASH' for any other exception. */
  outcome: 'loaded' | ModelErrorCode | 'CRASH';
  crash: unknown;
  /** loadModel time; for a case over the limit, the time of its one rerun. */
  ms: number;
  slow: boolean;
}

function pickModel(corpus: Corpus, rng: Prng): CorpusModel {
  const pool = corpus.big.length > 0 && rng.next() < BIG_MODEL_SHARE ? corpus.big : corpus.small;
  return rng.pick(pool);
}

function timedLoad(bytes: Uint8Array): { outcome: CaseResult['outcome']; crash: unknown; ms: number } {
  const started = performance.now();
  try {
    loadModel(bytes);
    return { outcome: 'loaded', crash: null, ms: performance.now() - started };
  } catch (error) {
    const ms = performance.now() - started;
    if (error instanceof ModelError) return { outcome: error.code, crash: null, ms };
    return { outcome: 'CRASH', crash: error, ms };
  }
}

export function runCase(corpus: Corpus, seed: number, caseNumber: number): CaseResult {
  const rng = new Prng(caseSeed(seed, caseNumber));
  const model = pickModel(corpus, rng);
  const other = pickModel(corpus, rng);
  const mutator = rng.pick(MUTATORS);
  const mutation = mutator.apply({ bytes: model.bytes, map: model.map, other: other.bytes }, rng);

  let run = timedLoad(mutation.bytes);
  // One rerun of the same bytes tells a GC pause or a busy machine from a slow input.
  if (run.ms > CASE_LIMIT_MS) run = timedLoad(mutation.bytes);
  return {
    caseNumber,
    model: model.name,
    mutation: `${mutator.name} ${mutation.detail}`,
    outcome: run.outcome,
    crash: run.crash,
    ms: run.ms,
    slow: run.ms > CASE_LIMIT_MS,
  };
}

export function describeFailure(seed: number, result: CaseResult): string {
  const what = result.outcome === 'CRASH' ? `threw ${String((result.crash as Error)?.stack ?? result.crash)}` : `took ${result.ms.toFixed(1)} ms twice`;
  return `seed ${seed} case ${result.caseNumber}: ${result.model}, ${result.mutation}: ${what}`;
}

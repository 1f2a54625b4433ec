import assert from 'node:assert/strict';
import { type CaseResult, type Corpus, describeFailure, loadCorpus, runCase } from './fuzz-case.js';

// Fixed, so a failure reproduces: `npm run fuzz -- --seed 20251125 --cases 5000` runs the same cases.
const SEED = 20251125;
const CASES = 5000;

describe('fuzz: loadModel on damaged reference models', function () {
  this.timeout(120_000);
  let corpus: Corpus;

  before(function () {
    corpus = loadCorpus();
  });

  it(`${CASES} cases each return a Model or throw ModelError, within 50 ms`, function () {
    const failures: string[] = [];
    const outcomes = new Map<CaseResult['outcome'], number>();
    for (let c = 0; c < CASES && failures.length < 10; c++) {
      const result = runCase(corpus, SEED, c);
      outcomes.set(result.outcome, (outcomes.get(result.outcome) ?? 0) + 1);
      if (result.outcome === 'CRASH' || result.slow) failures.push(describeFailure(SEED, result));
    }
    assert.deepEqual(failures, []);
    // The mutators must reach deep enough to trip many different checks, and leave some models loadable.
    assert.ok((outcomes.get('loaded') ?? 0) > CASES / 50, `loaded ${outcomes.get('loaded') ?? 0}`);
    for (const code of ['TRUNCATED', 'IDENTIFIER', 'STRUCTURE', 'INDEX', 'SHAPE', 'BUFFER_SIZE', 'UNPRODUCED'] as const) {
      assert.ok((outcomes.get(code) ?? 0) > 0, `no case was refused with ${code}: ${JSON.stringify([...outcomes])}`);
    }
  });
});

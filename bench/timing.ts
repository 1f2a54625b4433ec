// Repeated timing of one operation: warm-up first (JIT, caches), then runs until both a
// minimum count and a time budget are reached, so tiny models get many samples and large
// ones stay within the whole benchmark's few-minute budget.
import { performance } from 'node:perf_hooks';

export interface TimingPolicy {
  warmupRuns: number;
  minRuns: number;
  maxRuns: number;
  /** Stop sampling once this much time has been spent (and minRuns reached). */
  budgetMs: number;
  /** When a warm-up run takes longer than slowMs (median), slowMinRuns replaces minRuns. */
  slowMs?: number;
  slowMinRuns?: number;
}

export interface Timing {
  medianMs: number;
  p90Ms: number;
  runs: number;
}

/** The q-quantile by nearest rank (q=0.5 of an even count takes the mean of the middle two). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('no samples');
  if (q === 0.5 && sorted.length % 2 === 0) {
    const mid = sorted.length / 2;
    return (sorted[mid - 1] + sorted[mid]) / 2;
  }
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

/** Runs the operation once and returns its duration; a promise is awaited, a plain call is not. */
async function once(operation: () => unknown): Promise<number> {
  const t0 = performance.now();
  const result = operation();
  if (result instanceof Promise) await result;
  return performance.now() - t0;
}

export async function time(operation: () => unknown, policy: TimingPolicy): Promise<Timing> {
  const warmup: number[] = [];
  for (let i = 0; i < policy.warmupRuns; i++) warmup.push(await once(operation));
  warmup.sort((a, b) => a - b);
  const slow = policy.slowMs !== undefined && warmup.length > 0 && quantile(warmup, 0.5) > policy.slowMs;
  const minRuns = slow ? policy.slowMinRuns ?? policy.minRuns : policy.minRuns;
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < policy.maxRuns
    && (samples.length < minRuns || performance.now() - start < policy.budgetMs)) {
    samples.push(await once(operation));
  }
  samples.sort((a, b) => a - b);
  return { medianMs: quantile(samples, 0.5), p90Ms: quantile(samples, 0.9), runs: samples.length };
}

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

export async function time(operation: () => unknown, policy: TimingPolicy): Promise<Timing> {
  for (let i = 0; i < policy.warmupRuns; i++) await operation();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < policy.maxRuns
    && (samples.length < policy.minRuns || performance.now() - start < policy.budgetMs)) {
    const t0 = performance.now();
    await operation();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: quantile(samples, 0.5), p90Ms: quantile(samples, 0.9), runs: samples.length };
}

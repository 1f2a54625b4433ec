/** One class of a classifier's output, best first. */
export interface Ranked {
  index: number;
  label: string | null;
  score: number;
}

/** The k largest values with their indices (ties: lower index first) and labels when given. */
export function topK(values: readonly number[], k: number, labels: readonly string[] = []): Ranked[] {
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  return order.slice(0, Math.max(0, k)).map((index) => ({ index, label: labels[index] ?? null, score: values[index] }));
}

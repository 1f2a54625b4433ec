// Windowing a stream of samples for a model: a window of `size` values is complete every `hop`
// values once the first `size` have arrived (hop = size: back-to-back windows; hop < size:
// overlapping, as keyword spotting and gesture models slide over their input).
export class SlidingWindow {
  readonly size: number;
  readonly hop: number;
  private readonly ring: Float64Array;
  private count = 0;
  private sinceLast = 0;

  constructor(size: number, hop: number = size) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`window size must be a positive integer, got ${size}`);
    if (!Number.isInteger(hop) || hop < 1) throw new RangeError(`window hop must be a positive integer, got ${hop}`);
    this.size = size;
    this.hop = hop;
    this.ring = new Float64Array(size);
  }

  /** How many values the next window still waits for. */
  get pending(): number {
    return this.count < this.size ? this.size - this.count : this.hop - this.sinceLast;
  }

  /** Adds samples in order; returns every window completed by them, oldest value first. */
  push(values: ArrayLike<number>): number[][] {
    const windows: number[][] = [];
    for (let i = 0; i < values.length; i++) {
      this.ring[this.count % this.size] = values[i];
      this.count++;
      if (this.count < this.size) continue;
      if (this.count === this.size || ++this.sinceLast === this.hop) {
        this.sinceLast = 0;
        windows.push(this.snapshot());
      }
    }
    return windows;
  }

  reset(): void {
    this.count = 0;
    this.sinceLast = 0;
  }

  private snapshot(): number[] {
    const out = new Array<number>(this.size);
    const start = this.count % this.size;
    for (let k = 0; k < this.size; k++) out[k] = this.ring[(start + k) % this.size];
    return out;
  }
}

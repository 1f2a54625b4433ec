// A sliding window over samples that may carry several channels each (an accelerometer's x, y,
// z): `samples` per window, a new window every `hop` samples, values interleaved per sample as
// a [1, samples, channels] model input expects.
import { SlidingWindow } from './sliding-window.js';

export class SampleWindow {
  readonly channels: number;
  private readonly values: SlidingWindow;

  constructor(samples: number, hop: number, channels: number) {
    if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`a sample needs at least one channel, got ${channels}`);
    this.channels = channels;
    this.values = new SlidingWindow(samples * channels, hop * channels);
  }

  /** The window for a model input of `inputElements` values: channels = inputElements / samples. */
  static forInput(samples: number, hop: number, inputElements: number): SampleWindow {
    if (!Number.isInteger(samples) || samples < 1 || inputElements % samples !== 0) {
      throw new RangeError(`the model input takes ${inputElements} values: a window of ${samples} samples does not divide it into whole samples`);
    }
    return new SampleWindow(samples, hop, inputElements / samples);
  }

  /** Samples still needed before the next window. */
  get pending(): number {
    return Math.ceil(this.values.pending / this.channels);
  }

  /** Adds whole samples (channel values interleaved); returns the windows they complete. */
  push(values: readonly number[]): number[][] {
    if (values.length % this.channels !== 0) {
      throw new RangeError(`a sample has ${this.channels} channel values; ${values.length} value(s) is not a whole number of samples`);
    }
    return this.values.push(values);
  }

  reset(): void {
    this.values.reset();
  }
}

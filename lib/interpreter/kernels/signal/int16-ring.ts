// The int16 ring buffer of TFLM's signal/src/circular_buffer.cc, as SignalFramer, SignalStacker
// and SignalDelay use it: read and write positions plus an empty flag (so a full buffer differs
// from an empty one). TFLM also mirrors every value at position + capacity so readers can take
// contiguous runs; that is a speed detail, so here the values live once, in a slice of a
// persistent arena buffer that stays valid across invokes.
import type { LateView } from './signal-common.js';

export class Int16Ring {
  private read = 0;
  private write = 0;
  private empty = true;

  /** `storage().subarray(offset, offset + capacity)` holds the values. */
  constructor(readonly capacity: number, private readonly storage: LateView<Int16Array>, private readonly offset: number) {}

  /** CircularBufferReset: empty, every value 0. */
  reset(): void {
    this.read = 0;
    this.write = 0;
    this.empty = true;
    this.storage.get().fill(0, this.offset, this.offset + this.capacity);
  }

  /** CircularBufferAvailable: values written and not yet discarded. */
  available(): number {
    const diff = this.write - this.read;
    if (diff > 0) return diff;
    if (diff < 0) return this.capacity + diff;
    return this.empty ? 0 : this.capacity;
  }

  canWrite(): number {
    return this.capacity - this.available();
  }

  /** CircularBufferWrite of `source[start, start + n)`; the caller keeps n <= canWrite(). */
  writeFrom(source: Int16Array, start: number, n: number): void {
    if (n <= 0) return;
    const data = this.storage.get();
    let w = this.write;
    for (let i = 0; i < n; i++) {
      data[this.offset + w] = source[start + i];
      if (++w === this.capacity) w = 0;
    }
    this.write = w;
    this.empty = false;
  }

  /** CircularBufferWriteZeros. */
  writeZeros(n: number): void {
    if (n <= 0) return;
    const data = this.storage.get();
    let w = this.write;
    for (let i = 0; i < n; i++) {
      data[this.offset + w] = 0;
      if (++w === this.capacity) w = 0;
    }
    this.write = w;
    this.empty = false;
  }

  /** CircularBufferExtend: appends the last `count` values written, `times` times over. */
  extend(count: number, times: number): void {
    if (count <= 0 || times <= 0) return;
    const data = this.storage.get();
    const start = count > this.write ? this.write + this.capacity - count : this.write - count;
    let w = this.write;
    for (let t = 0; t < times; t++) {
      let r = start;
      for (let i = 0; i < count; i++) {
        data[this.offset + w] = data[this.offset + r];
        if (++r === this.capacity) r = 0;
        if (++w === this.capacity) w = 0;
      }
    }
    this.write = w;
  }

  /** CircularBufferGet: copies the oldest n values to `target[start...]` without discarding them. */
  readInto(n: number, target: Int16Array, start: number): void {
    const data = this.storage.get();
    let r = this.read;
    for (let i = 0; i < n; i++) {
      target[start + i] = data[this.offset + r];
      if (++r === this.capacity) r = 0;
    }
  }

  /** CircularBufferDiscard: drops the oldest n values (n <= available()). */
  discard(n: number): void {
    this.read += n;
    if (this.read >= this.capacity) this.read -= this.capacity;
    if (this.read === this.write) this.empty = true;
  }
}

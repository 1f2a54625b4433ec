// Running a model over consecutive frames, the way TFLM's goldens are recorded: each input's
// bytes hold K frames back to back, every frame is one invoke() on the same interpreter (state
// carries over), and each output collects its K results back to back.
import { InterpreterError } from './errors.js';
import type { Interpreter } from './interpreter.js';
import { typedView, type RuntimeTensor } from './tensor.js';

export interface FramesResult {
  frames: number;
  /** Per output: the raw bytes of every frame's result, back to back. */
  outputs: Uint8Array[];
  /**
   * Frames whose invoke an operator cut short (TFLM's kTfLiteAbort, e.g. CIRCULAR_BUFFER between
   * its runs): their output bytes are whatever the output tensors still held.
   */
  aborted: number[];
}

function bytesOf(tensor: RuntimeTensor): Uint8Array {
  return new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.byteLength);
}

/** How many whole frames `inputs` hold, after checking they agree with each other and the model. */
export function frameCount(interpreter: Interpreter, inputs: readonly Uint8Array[]): number {
  if (inputs.length !== interpreter.inputCount) {
    throw new InterpreterError(`the model has ${interpreter.inputCount} input(s), got ${inputs.length}`);
  }
  let frames = -1;
  inputs.forEach((bytes, i) => {
    const tensor = interpreter.input(i);
    const size = tensor.byteLength;
    const what = `input ${i} (${tensor.name}, ${tensor.dtype}[${tensor.shape.join(',')}], ${size} bytes a frame)`;
    if (size === 0 || bytes.length === 0 || bytes.length % size !== 0) {
      throw new InterpreterError(`${what}: ${bytes.length} bytes is not a whole number of frames`);
    }
    const n = bytes.length / size;
    if (frames >= 0 && n !== frames) throw new InterpreterError(`${what}: ${n} frames, but input 0 has ${frames}`);
    frames = n;
  });
  return frames;
}

/** Invokes once per frame; the interpreter must be allocated. */
export function runFrames(interpreter: Interpreter, inputs: readonly Uint8Array[]): FramesResult {
  const frames = frameCount(interpreter, inputs);
  const inViews = inputs.map((_, i) => bytesOf(interpreter.input(i)));
  const outViews = Array.from({ length: interpreter.outputCount }, (_, j) => bytesOf(interpreter.output(j)));
  const outputs = outViews.map((view) => new Uint8Array(view.length * frames));
  const aborted: number[] = [];
  for (let f = 0; f < frames; f++) {
    inViews.forEach((view, i) => view.set(inputs[i].subarray(f * view.length, (f + 1) * view.length)));
    if (interpreter.invoke() === 'aborted') aborted.push(f);
    outViews.forEach((view, j) => outputs[j].set(view, f * view.length));
  }
  return { frames, outputs, aborted };
}

/**
 * The golden cases' pseudo-random inputs (../shared/golden/README.md): one mulberry32 generator
 * filling every input of frame 0 in index order, then frame 1, ...; integer and other byte-typed
 * tensors take one draw per byte, float32 one per element mapped to [-1, 1), bool one bit per byte.
 */
export function seededInputs(interpreter: Interpreter, seed: number, frames = 1): Uint8Array[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const tensors = Array.from({ length: interpreter.inputCount }, (_, i) => interpreter.input(i));
  const inputs = tensors.map((t) => new Uint8Array(t.byteLength * frames));
  for (let f = 0; f < frames; f++) {
    tensors.forEach((tensor, i) => {
      const frame = inputs[i].subarray(f * tensor.byteLength, (f + 1) * tensor.byteLength);
      if (tensor.dtype === 'float32') {
        const floats = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
        for (let e = 0; e < tensor.elementCount; e++) floats.setFloat32(e * 4, (next() / 2 ** 32) * 2 - 1, true);
      } else {
        const mask = tensor.dtype === 'bool' ? 1 : 0xff;
        for (let b = 0; b < frame.length; b++) frame[b] = next() & mask;
      }
    });
  }
  return inputs;
}

/** Numbers (e.g. from JSON) as K frames of raw bytes for input `tensor`, in its dtype. */
export function encodeValues(tensor: RuntimeTensor, values: readonly number[]): Uint8Array {
  const bytesPerElement = tensor.data.BYTES_PER_ELEMENT;
  const buffer = new ArrayBuffer(values.length * bytesPerElement);
  const view = typedView(tensor.dtype, buffer, 0, buffer.byteLength);
  if (view instanceof BigInt64Array || view instanceof BigUint64Array || view.constructor !== tensor.data.constructor) {
    throw new InterpreterError(`input ${tensor.name} is ${tensor.dtype}: give its raw bytes instead of numbers`);
  }
  view.set(values);
  return new Uint8Array(buffer);
}

/** Frame `frame` of an output's collected bytes as numbers, in the output's dtype. */
export function decodeFrame(tensor: RuntimeTensor, collected: Uint8Array, frame: number): number[] {
  const copy = collected.slice(frame * tensor.byteLength, (frame + 1) * tensor.byteLength);
  const view = typedView(tensor.dtype, copy.buffer, 0, copy.byteLength);
  return Array.from(view as ArrayLike<number | bigint>, Number);
}

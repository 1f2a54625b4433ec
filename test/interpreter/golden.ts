// Reads TFLM's goldens in ../shared/golden (see its README.md) and runs their cases through an Interpreter.
import fs from 'node:fs';
import path from 'node:path';
import { Interpreter } from '../../lib/interpreter/index.js';
import { loadModel } from '../../lib/model/read.js';
import type { Model } from '../../lib/model/types.js';
import { SHARED } from '../support/paths.js';

export const GOLDEN = path.join(SHARED, 'golden');

interface GoldenFile {
  file: string;
  bytes: number;
}

export interface GoldenCase {
  case: string;
  frames: number;
  inputs: GoldenFile[];
  outputs: GoldenFile[];
}

export interface Golden {
  model: string;
  cases: GoldenCase[];
  arena_used_bytes_x86_64: number | null;
}

export function readGolden(name: string): Golden {
  return JSON.parse(fs.readFileSync(path.join(GOLDEN, `${name}.json`), 'utf8')) as Golden;
}

export function readShared(rel: string): Uint8Array {
  const bytes = fs.readFileSync(path.join(SHARED, rel));
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function goldenModel(golden: Golden): Model {
  return loadModel(readShared(golden.model));
}

function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Runs every frame of a case through one fresh interpreter; returns each output's frames back to back. */
export function runCase(model: Model, testCase: GoldenCase): Uint8Array[] {
  const interpreter = new Interpreter(model);
  interpreter.allocate();
  const inputFiles = testCase.inputs.map((f) => readShared(path.join('golden', f.file)));
  const outputs = testCase.outputs.map((f) => new Uint8Array(f.bytes));
  for (let frame = 0; frame < testCase.frames; frame++) {
    inputFiles.forEach((file, k) => {
      const target = bytesOf(interpreter.input(k).data);
      target.set(file.subarray(frame * target.byteLength, (frame + 1) * target.byteLength));
    });
    interpreter.invoke();
    outputs.forEach((out, k) => {
      const produced = bytesOf(interpreter.output(k).data);
      out.set(produced, frame * produced.byteLength);
    });
  }
  return outputs;
}

export function expectedOutputs(testCase: GoldenCase): Uint8Array[] {
  return testCase.outputs.map((f) => readShared(path.join('golden', f.file)));
}

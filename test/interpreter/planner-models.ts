// Small models shared by the planner tests.
import { ModelBuilder } from '../../lib/model/builder.js';
import { AddOptionsT } from '../../lib/model/schema/tflite.js';
import type { Model } from '../../lib/model/types.js';

export const iota = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * Tensors: 0 x [1] (input), 1 c = 0..63 [64] (constant), 2 a = x + c [64] (broadcast ADD),
 * 3 b = RESHAPE(a) [8, 8] (output); with metadata, stored under the given name.
 */
export function broadcastThenReshape(metadata?: { name: string; bytes: Uint8Array }): Model {
  const builder = new ModelBuilder();
  const x = builder.addInput({ name: 'x', shape: [1], dtype: 'float32' });
  const c = builder.addConstant({ name: 'c', shape: [64], dtype: 'float32', data: new Float32Array(iota(64)) });
  const a = builder.addTensor({ name: 'a', shape: [64], dtype: 'float32' });
  const b = builder.addTensor({ name: 'b', shape: [8, 8], dtype: 'float32' });
  builder.addOperator('ADD', [x, c], [a], { builtinOptions: new AddOptionsT() });
  builder.addOperator('RESHAPE', [a], [b]);
  builder.addOutput(b);
  if (metadata !== undefined) builder.addMetadata(metadata.name, metadata.bytes);
  return builder.build();
}

// Copies of a model that a peer accepts where the original trips a check the model does not
// need, with nothing else changed (our writer round-trips every reference model). Each peer
// that uses one says so in its description.
import { loadModel } from '../lib/model/read.js';
import { writeModel } from '../lib/model/write.js';

export interface Rewrite {
  /** Drop every shape_signature: the same static shapes, no -1 batch (LiteRT.js refuses one). */
  staticShapes?: boolean;
  /**
   * Set quantized_dimension to 0 where 0 is the only dimension it can mean: tensors with one
   * scale, and 1-D tensors with one scale per element. person_detect's per-channel biases say 3;
   * TFLM (and our reader) take the only dimension there is, TFLite's reader refuses it
   * ("quantized_dimension must be in range [0, 1). Was 3.").
   */
  quantizedDimensionZero?: boolean;
}

export function rewriteModel(bytes: Uint8Array, rewrite: Rewrite): Uint8Array {
  const model = loadModel(bytes);
  for (const subgraph of model.subgraphs) {
    for (const tensor of subgraph.tensors) {
      if (rewrite.staticShapes) tensor.shapeSignature = null;
      const q = tensor.quantization;
      const onlyZero = q !== null && (q.scale.length === 1 || (tensor.shape.length === 1 && q.scale.length === tensor.shape[0]));
      if (rewrite.quantizedDimensionZero && onlyZero) q.quantizedDimension = 0;
    }
  }
  return writeModel(model);
}

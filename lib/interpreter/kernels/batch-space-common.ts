// Shared by BATCH_TO_SPACE_ND and SPACE_TO_BATCH_ND (TFLM's reference/batch_to_space_nd.h,
// space_to_batch_nd.h): 3-D NHC or 4-D NHWC tensors, a 3-D one handled as NH1C with block
// width 1 and no width crops/paddings; block_shape and crops/paddings constant int32.
import type { RuntimeTensor } from '../tensor.js';
import type { PrepareContext } from './kernel.js';
import { constantIndices, inputAt, movedTensors, shapeText } from './shape-common.js';

export interface BlockGeometry {
  input: RuntimeTensor;
  output: RuntimeTensor;
  /** Input and output as 4-D NHWC. */
  inShape: [number, number, number, number];
  outShape: [number, number, number, number];
  blockHeight: number;
  blockWidth: number;
  /** Leading crop (BATCH_TO_SPACE_ND) or padding (SPACE_TO_BATCH_ND) of height and width. */
  top: number;
  left: number;
}

function as4d(shape: readonly number[]): [number, number, number, number] {
  return shape.length === 4 ? [shape[0], shape[1], shape[2], shape[3]] : [shape[0], shape[1], 1, shape[2]];
}

/**
 * Reads the block and the crops/paddings and checks the output shape. `toSpace` is true for
 * BATCH_TO_SPACE_ND (crops shrink, the batch divides) and false for SPACE_TO_BATCH_ND.
 */
export function blockGeometry(ctx: PrepareContext, toSpace: boolean): BlockGeometry {
  const edges = toSpace ? 'crops' : 'paddings';
  const { input, output } = movedTensors(ctx);
  const rank = input.shape.length;
  if (rank !== 3 && rank !== 4) throw ctx.error(`input must be 3-D or 4-D, has shape ${shapeText(input.shape)}`);
  if (output.shape.length !== rank) throw ctx.error(`output rank ${output.shape.length} differs from input rank ${rank}`);
  const spatial = rank - 2;
  const block = constantIndices(ctx, inputAt(ctx, 1, 'block_shape'), 'block_shape');
  const pads = constantIndices(ctx, inputAt(ctx, 2, edges), edges);
  if (block.length !== spatial || pads.length !== 2 * spatial) {
    throw ctx.error(`block_shape needs ${spatial} and ${edges} ${2 * spatial} values for a ${rank}-D input, got ${block.length} and ${pads.length}`);
  }
  if (block.some((b) => b < 1) || pads.some((p) => p < 0)) throw ctx.error(`block_shape [${block.join(', ')}] must be positive and ${edges} [${pads.join(', ')}] non-negative`);
  const blocks = block.reduce((a, b) => a * b, 1);
  const expected = [...input.shape];
  if (toSpace) {
    if (input.shape[0] % blocks !== 0) throw ctx.error(`input batch ${input.shape[0]} is not a multiple of the block size ${blocks}`);
    expected[0] = input.shape[0] / blocks;
    for (let i = 0; i < spatial; i++) expected[i + 1] = input.shape[i + 1] * block[i] - pads[2 * i] - pads[2 * i + 1];
  } else {
    expected[0] = input.shape[0] * blocks;
    for (let i = 0; i < spatial; i++) {
      const padded = input.shape[i + 1] + pads[2 * i] + pads[2 * i + 1];
      if (padded % block[i] !== 0) throw ctx.error(`padded dimension ${i + 1} (${padded}) is not a multiple of block ${block[i]}`);
      expected[i + 1] = padded / block[i];
    }
  }
  if (shapeText(expected) !== shapeText(output.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
  return {
    input,
    output,
    inShape: as4d(input.shape),
    outShape: as4d(output.shape),
    blockHeight: block[0],
    blockWidth: spatial === 2 ? block[1] : 1,
    top: pads[0],
    left: spatial === 2 ? pads[2] : 0,
  };
}

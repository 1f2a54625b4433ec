// RESHAPE after TFLM's micro/kernels/reshape.cc: the new shape comes from the output tensor
// (the shape input or ReshapeOptions.new_shape only fix it at conversion); -1 is resolved there.
import { copyKernel } from './copy-kernel.js';

export const RESHAPE = copyKernel(() => undefined);

// The shape family of kernels, registered in ./index.ts.
import type { Kernel } from './kernel.js';

export const SHAPE_KERNELS: Readonly<Record<string, Kernel>> = {};

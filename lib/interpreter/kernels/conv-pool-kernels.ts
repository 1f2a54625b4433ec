// The conv-pool family of kernels, registered in ./index.ts.
import type { Kernel } from './kernel.js';

export const CONV_POOL_KERNELS: Readonly<Record<string, Kernel>> = {};

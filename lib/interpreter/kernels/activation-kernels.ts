// The activation family of kernels, registered in ./index.ts.
import type { Kernel } from './kernel.js';

export const ACTIVATION_KERNELS: Readonly<Record<string, Kernel>> = {};

// The index family of kernels (ops that pick elements by index or position), registered in
// ./index.ts.
import { ARG_MAX, ARG_MIN } from './arg-min-max.js';
import { DYNAMIC_UPDATE_SLICE } from './dynamic-update-slice.js';
import { EMBEDDING_LOOKUP } from './embedding-lookup.js';
import { GATHER } from './gather.js';
import { GATHER_ND } from './gather-nd.js';
import type { Kernel } from './kernel.js';

export const INDEX_KERNELS: Readonly<Record<string, Kernel>> = {
  ARG_MAX,
  ARG_MIN,
  DYNAMIC_UPDATE_SLICE,
  EMBEDDING_LOOKUP,
  GATHER,
  GATHER_ND,
};

// The activation family of kernels, registered in ./index.ts.
import { ADD } from './add.js';
import { HARD_SWISH } from './hard-swish.js';
import type { Kernel } from './kernel.js';
import { LEAKY_RELU } from './leaky-relu.js';
import { LOGISTIC } from './logistic.js';
import { MUL } from './mul.js';
import { RELU } from './relu.js';
import { RELU6 } from './relu6.js';
import { SOFTMAX } from './softmax.js';
import { SUB } from './sub.js';
import { TANH } from './tanh.js';

export const ACTIVATION_KERNELS: Readonly<Record<string, Kernel>> = {
  ADD,
  HARD_SWISH,
  LEAKY_RELU,
  LOGISTIC,
  MUL,
  RELU,
  RELU6,
  SOFTMAX,
  SUB,
  TANH,
};

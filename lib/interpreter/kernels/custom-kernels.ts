// TFLM's custom ops outside the Signal library (MicroMutableOpResolver's AddCircularBuffer,
// AddDetectionPostprocess...), registered by custom code.
import { CIRCULAR_BUFFER } from './circular-buffer.js';
import { TFLM_DECODE } from './decode.js';
import { TFLITE_DETECTION_POSTPROCESS } from './detection-postprocess.js';
import type { Kernel } from './kernel.js';

export const CUSTOM_KERNELS: Readonly<Record<string, Kernel>> = {
  CIRCULAR_BUFFER,
  TFLite_Detection_PostProcess: TFLITE_DETECTION_POSTPROCESS,
  TFLM_DECODE,
};

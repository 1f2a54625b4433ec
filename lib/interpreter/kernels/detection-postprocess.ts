// TFLite_Detection_PostProcess after TFLM's tensorflow/lite/micro/kernels/detection_postprocess.cc
// (float32 only, as TFLM's Eval): SSD box decoding against the anchors, then fast or regular
// non-max suppression. Decoding runs in double and stores float32 (as the C casts); areas and
// IoU are float32 arithmetic. Both of TFLM's sorts order by score, ties by index (its merge
// sort is stable and its partial_sort compares (score, index)), so one stable insertion sort
// serves both. Kept as TFLM does: the fast path leaves output slots past num_detections as they
// were, and places each category at num_categories * (running count) + col, so with
// max_classes_per_detection > 1 the slots are spread out (slots past the output are skipped here,
// where TFLM would write past the tensor).
import type { RuntimeTensor } from '../tensor.js';
import type { Kernel, PrepareContext, PreparedOp, ScratchBuffer } from './kernel.js';
import { LateView, readOptions } from './signal/signal-common.js';

interface Options {
  maxDetections: number;
  maxClassesPerDetection: number;
  detectionsPerClass: number;
  useRegularNms: boolean;
  scoreThreshold: number;
  iouThreshold: number;
  numClasses: number;
  yScale: number;
  xScale: number;
  hScale: number;
  wScale: number;
}

/** TFLM's kNumDetectionsPerClass, used when the options leave detections_per_class out. */
const DEFAULT_DETECTIONS_PER_CLASS = 100;

function readDetectionOptions(ctx: PrepareContext): Options {
  const f = Math.fround; // AsFloat: the options are C floats
  return readOptions(ctx, (o) => ({
    maxDetections: o.int('max_detections'),
    maxClassesPerDetection: o.int('max_classes_per_detection'),
    detectionsPerClass: o.has('detections_per_class') ? o.int('detections_per_class') : DEFAULT_DETECTIONS_PER_CLASS,
    useRegularNms: o.has('use_regular_nms') ? o.bool('use_regular_nms') : false,
    scoreThreshold: f(o.float('nms_score_threshold')),
    iouThreshold: f(o.float('nms_iou_threshold')),
    numClasses: o.int('num_classes'),
    yScale: f(o.float('y_scale')),
    xScale: f(o.float('x_scale')),
    hScale: f(o.float('h_scale')),
    wScale: f(o.float('w_scale')),
  }));
}

function floatInput(ctx: PrepareContext, position: number, rank: number, what: string): RuntimeTensor {
  const tensor = ctx.inputs[position];
  if (tensor === null || tensor === undefined) throw ctx.error(`missing input ${position} (${what})`);
  if (tensor.dtype !== 'float32') throw ctx.error(`input ${position} (${what}) is ${tensor.dtype}; TFLM's kernel takes float32 only`);
  if (tensor.shape.length !== rank) throw ctx.error(`input ${position} (${what}) has shape [${tensor.shape.join(', ')}], expected ${rank} dimensions`);
  return tensor;
}

function floatOutput(ctx: PrepareContext, position: number, what: string): RuntimeTensor {
  const tensor = ctx.outputs[position];
  if (tensor.dtype !== 'float32') throw ctx.error(`output ${position} (${what}) is ${tensor.dtype}, expected float32`);
  return tensor;
}

/**
 * Stable sort of indices[indicesOffset, + count) = 0..count-1 by values[offset + index], largest
 * first (ties keep index order).
 */
function sortDecreasingAt(values: Float32Array, offset: number, count: number, indices: Int32Array, indicesOffset: number): void {
  for (let i = 0; i < count; i++) indices[indicesOffset + i] = i;
  for (let i = 1; i < count; i++) {
    const index = indices[indicesOffset + i];
    const value = values[offset + index];
    let j = i - 1;
    while (j >= 0 && value > values[offset + indices[indicesOffset + j]]) {
      indices[indicesOffset + j + 1] = indices[indicesOffset + j];
      j--;
    }
    indices[indicesOffset + j + 1] = index;
  }
}

/** ComputeIntersectionOverUnion on decoded (ymin, xmin, ymax, xmax) boxes, in float32. */
function intersectionOverUnion(boxes: Float32Array, i: number, j: number): number {
  const f = Math.fround;
  const a = 4 * i;
  const b = 4 * j;
  const areaI = f(f(boxes[a + 2] - boxes[a]) * f(boxes[a + 3] - boxes[a + 1]));
  const areaJ = f(f(boxes[b + 2] - boxes[b]) * f(boxes[b + 3] - boxes[b + 1]));
  if (areaI <= 0 || areaJ <= 0) return 0;
  const ymin = Math.max(boxes[a], boxes[b]);
  const xmin = Math.max(boxes[a + 1], boxes[b + 1]);
  const ymax = Math.min(boxes[a + 2], boxes[b + 2]);
  const xmax = Math.min(boxes[a + 3], boxes[b + 3]);
  const intersection = f(Math.max(f(ymax - ymin), 0) * Math.max(f(xmax - xmin), 0));
  return f(intersection / f(f(areaI + areaJ) - intersection));
}

function floats(buffer: ScratchBuffer): LateView<Float32Array> {
  return new LateView(() => buffer.bytes, (s) => new Float32Array(s.buffer, s.byteOffset, s.byteLength >>> 2));
}

function ints(buffer: ScratchBuffer): LateView<Int32Array> {
  return new LateView(() => buffer.bytes, (s) => new Int32Array(s.buffer, s.byteOffset, s.byteLength >>> 2));
}

export const TFLITE_DETECTION_POSTPROCESS: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'float32';
  },
  prepare(ctx): PreparedOp {
    const o = readDetectionOptions(ctx);
    if (ctx.inputs.length !== 3) throw ctx.error(`expected 3 inputs (box encodings, class predictions, anchors), got ${ctx.inputs.length}`);
    if (ctx.outputs.length !== 4) throw ctx.error(`expected 4 outputs (boxes, classes, scores, num_detections), got ${ctx.outputs.length}`);
    const encodings = floatInput(ctx, 0, 3, 'box encodings');
    const predictions = floatInput(ctx, 1, 3, 'class predictions');
    const anchors = floatInput(ctx, 2, 2, 'anchors');
    const [batch, numBoxes, encodingSize] = encodings.shape;
    if (batch !== 1 || encodingSize < 4) throw ctx.error(`input 0 (box encodings) has shape [${encodings.shape.join(', ')}], expected [1, boxes, >= 4]`);
    const classesWithBackground = predictions.shape[2];
    if (predictions.shape[0] !== 1 || predictions.shape[1] !== numBoxes) {
      throw ctx.error(`input 1 (class predictions) has shape [${predictions.shape.join(', ')}], expected [1, ${numBoxes}, classes]`);
    }
    const { numClasses, maxDetections } = o;
    const labelOffset = classesWithBackground - numClasses;
    if (labelOffset < 0 || labelOffset > 1) throw ctx.error(`num_classes ${numClasses} must be the ${classesWithBackground} predicted classes, or one fewer (a background class)`);
    if (anchors.shape[0] !== numBoxes || anchors.shape[1] !== 4) throw ctx.error(`input 2 (anchors) has shape [${anchors.shape.join(', ')}], expected [${numBoxes}, 4]`);
    if (maxDetections < 0) throw ctx.error(`max_detections ${maxDetections} is negative`);
    if (!(o.iouThreshold > 0 && o.iouThreshold <= 1)) throw ctx.error(`nms_iou_threshold ${o.iouThreshold} is outside (0, 1]`);
    if (o.useRegularNms ? o.detectionsPerClass <= 0 : o.maxClassesPerDetection <= 0) {
      throw ctx.error(o.useRegularNms ? `detections_per_class ${o.detectionsPerClass} must be positive` : `max_classes_per_detection ${o.maxClassesPerDetection} must be positive`);
    }
    const outBoxes = floatOutput(ctx, 0, 'detection boxes');
    const outClasses = floatOutput(ctx, 1, 'detection classes');
    const outScores = floatOutput(ctx, 2, 'detection scores');
    const outCount = floatOutput(ctx, 3, 'num detections');
    const capacity = Math.floor(outBoxes.elementCount / 4);
    if (outClasses.elementCount !== capacity || outScores.elementCount !== capacity || outCount.elementCount < 1) {
      throw ctx.error(`outputs hold ${outBoxes.elementCount} box values, ${outClasses.elementCount} classes, ${outScores.elementCount} scores, ${outCount.elementCount} counts: expected 4 n, n, n and 1`);
    }
    if (o.useRegularNms && capacity < maxDetections) throw ctx.error(`outputs hold ${capacity} detections, regular NMS writes max_detections = ${maxDetections}`);
    const categories = Math.min(o.maxClassesPerDetection, numClasses);

    // TFLM's scratch buffers, same sizes and order (the float path never uses `scores`).
    const active = ctx.requestScratch(numBoxes);
    const decodedBuffer = floats(ctx.requestScratch(numBoxes * 16));
    ctx.requestScratch(numBoxes * classesWithBackground * 4);
    const scoreBuffer = floats(ctx.requestScratch(numBoxes * 4));
    const keepScoresBuffer = floats(ctx.requestScratch(numBoxes * 4));
    const afterNmsScoresBuffer = floats(ctx.requestScratch(maxDetections * numBoxes * 4));
    const sortedValuesBuffer = floats(ctx.requestScratch(maxDetections * numBoxes * 4));
    const keepIndicesBuffer = ints(ctx.requestScratch(numBoxes * 4));
    const sortedIndicesBuffer = ints(ctx.requestScratch(maxDetections * numBoxes * 4));
    const indexBuffer = ints(ctx.requestScratch(Math.max(numClasses, maxDetections) * numBoxes * 4));
    const selectedBuffer = ints(ctx.requestScratch(Math.min(numBoxes, maxDetections) * numBoxes * 4));

    /** DecodeCenterSizeBoxes into decoded (ymin, xmin, ymax, xmax); ValidateBoxes. */
    function decode(boxes: Float32Array): void {
      const e = encodings.data as Float32Array;
      const a = anchors.data as Float32Array;
      const f = Math.fround;
      for (let i = 0; i < numBoxes; i++) {
        const at = i * encodingSize;
        const ycenter = f((e[at] / o.yScale) * a[4 * i + 2] + a[4 * i]);
        const xcenter = f((e[at + 1] / o.xScale) * a[4 * i + 3] + a[4 * i + 1]);
        const halfH = f(0.5 * Math.exp(e[at + 2] / o.hScale) * a[4 * i + 2]);
        const halfW = f(0.5 * Math.exp(e[at + 3] / o.wScale) * a[4 * i + 3]);
        boxes[4 * i] = ycenter - halfH;
        boxes[4 * i + 1] = xcenter - halfW;
        boxes[4 * i + 2] = ycenter + halfH;
        boxes[4 * i + 3] = xcenter + halfW;
      }
      for (let i = 0; i < numBoxes; i++) {
        if (boxes[4 * i] >= boxes[4 * i + 2] || boxes[4 * i + 1] >= boxes[4 * i + 3]) {
          throw ctx.error(`decoded box ${i} (ymin ${boxes[4 * i]}, xmin ${boxes[4 * i + 1]}, ymax ${boxes[4 * i + 2]}, xmax ${boxes[4 * i + 3]}) is empty or inverted`);
        }
      }
    }

    /** NonMaxSuppressionSingleClassHelper: indices of the kept boxes into `selected`; returns their count. */
    function suppress(boxes: Float32Array, scores: Float32Array, selected: Int32Array, limit: number): number {
      const keepScores = keepScoresBuffer.get();
      const keepIndices = keepIndicesBuffer.get();
      const sorted = sortedIndicesBuffer.get();
      const candidate = active.bytes;
      let kept = 0;
      for (let i = 0; i < numBoxes; i++) {
        if (scores[i] >= o.scoreThreshold) {
          keepScores[kept] = scores[i];
          keepIndices[kept] = i;
          kept++;
        }
      }
      sortDecreasingAt(keepScores, 0, kept, sorted, 0);
      const outputSize = Math.min(kept, limit);
      let count = 0;
      let activeCount = kept;
      candidate.fill(1, 0, kept);
      for (let i = 0; i < kept; i++) {
        if (activeCount === 0 || count >= outputSize) break;
        if (candidate[i] !== 1) continue;
        const chosen = keepIndices[sorted[i]];
        selected[count++] = chosen;
        candidate[i] = 0;
        activeCount--;
        for (let j = i + 1; j < kept; j++) {
          if (candidate[j] === 1 && intersectionOverUnion(boxes, chosen, keepIndices[sorted[j]]) > o.iouThreshold) {
            candidate[j] = 0;
            activeCount--;
          }
        }
      }
      return count;
    }

    function regular(boxes: Float32Array, scores: Float32Array): void {
      const classScores = scoreBuffer.get();
      const boxIndices = indexBuffer.get();
      const afterScores = afterNmsScoresBuffer.get();
      const sorted = sortedIndicesBuffer.get();
      const sortedValues = sortedValuesBuffer.get();
      const selected = selectedBuffer.get();
      let size = 0;
      for (let col = 0; col < numClasses; col++) {
        for (let row = 0; row < numBoxes; row++) classScores[row] = scores[row * classesWithBackground + col + labelOffset];
        const count = suppress(boxes, classScores, selected, o.detectionsPerClass);
        let end = size;
        for (let i = 0; i < count; i++) {
          boxIndices[end] = selected[i] * classesWithBackground + col + labelOffset;
          afterScores[end] = classScores[selected[i]];
          end++;
        }
        const keep = Math.min(end, maxDetections);
        sortDecreasingAt(afterScores, 0, end, sorted, 0);
        for (let row = 0; row < keep; row++) {
          const from = sorted[row];
          sorted[row] = boxIndices[from];
          sortedValues[row] = afterScores[from];
        }
        for (let row = 0; row < keep; row++) {
          boxIndices[row] = sorted[row];
          afterScores[row] = sortedValues[row];
        }
        size = keep;
      }
      const yBoxes = outBoxes.data as Float32Array;
      const yClasses = outClasses.data as Float32Array;
      const yScores = outScores.data as Float32Array;
      for (let i = 0; i < maxDetections; i++) {
        if (i < size) {
          const anchor = Math.floor(boxIndices[i] / classesWithBackground);
          for (let c = 0; c < 4; c++) yBoxes[4 * i + c] = boxes[4 * anchor + c];
          yClasses[i] = boxIndices[i] - anchor * classesWithBackground - labelOffset;
          yScores[i] = afterScores[i];
        } else {
          yBoxes.fill(0, 4 * i, 4 * i + 4);
          yClasses[i] = 0;
          yScores[i] = 0;
        }
      }
      (outCount.data as Float32Array)[0] = size;
    }

    function fast(boxes: Float32Array, scores: Float32Array): void {
      const maxScores = scoreBuffer.get();
      const classIndices = indexBuffer.get();
      const selected = selectedBuffer.get();
      for (let row = 0; row < numBoxes; row++) {
        const first = row * classesWithBackground + labelOffset;
        sortDecreasingAt(scores, first, numClasses, classIndices, row * numClasses);
        maxScores[row] = scores[first + classIndices[row * numClasses]];
      }
      const count = suppress(boxes, maxScores, selected, maxDetections);
      const yBoxes = outBoxes.data as Float32Array;
      const yClasses = outClasses.data as Float32Array;
      const yScores = outScores.data as Float32Array;
      let written = 0;
      for (let i = 0; i < count; i++) {
        const box = selected[i];
        for (let col = 0; col < categories; col++) {
          const slot = categories * written + col;
          if (slot < capacity) {
            const cls = classIndices[box * numClasses + col];
            for (let c = 0; c < 4; c++) yBoxes[4 * slot + c] = boxes[4 * box + c];
            yClasses[slot] = cls;
            yScores[slot] = scores[box * classesWithBackground + labelOffset + cls];
          }
          written++;
        }
      }
      (outCount.data as Float32Array)[0] = written;
    }

    return {
      invoke(): void {
        const boxes = decodedBuffer.get();
        decode(boxes);
        const scores = predictions.data as Float32Array;
        if (o.useRegularNms) regular(boxes, scores);
        else fast(boxes, scores);
      },
    };
  },
};

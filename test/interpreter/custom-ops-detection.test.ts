// TFLite_Detection_PostProcess after TFLM's tensorflow/lite/micro/kernels/detection_postprocess.cc.
// Expected detections are worked out by hand (comments) from its DecodeCenterSizeBoxes,
// ComputeIntersectionOverUnion and the fast / regular NMS helpers.
import assert from 'node:assert/strict';
import { InterpreterError, type Interpreter } from '../../lib/interpreter/index.js';
import { customOpInterpreter } from './custom-op-model.js';

const f = Math.fround;

interface Detections { boxes: number[]; classes: number[]; scores: number[]; count: number }

function detector(options: Record<string, number | boolean>, anchors: number[], classesWithBackground: number, capacity: number): Interpreter {
  const boxes = anchors.length / 4;
  return customOpInterpreter('TFLite_Detection_PostProcess', options, [
    { dtype: 'float32', shape: [1, boxes, 4] },
    { dtype: 'float32', shape: [1, boxes, classesWithBackground] },
    { dtype: 'float32', shape: [boxes, 4], data: new Float32Array(anchors) },
  ], [
    { dtype: 'float32', shape: [1, capacity, 4] },
    { dtype: 'float32', shape: [1, capacity] },
    { dtype: 'float32', shape: [1, capacity] },
    { dtype: 'float32', shape: [1] },
  ]);
}

function detect(it: Interpreter, encodings: number[], scores: number[]): Detections {
  it.setInput(0, encodings);
  it.setInput(1, scores);
  for (let i = 0; i < 3; i++) (it.output(i).data as Float32Array).fill(-1);
  it.invoke();
  const list = (i: number): number[] => Array.from(it.output(i).data as Float32Array);
  return { boxes: list(0), classes: list(1), scores: list(2), count: list(3)[0] };
}

// Float options are all exact in float32 (0.25, 0.5...): the flatbuffers package's FlexBuffer
// encoder writes such values as 4-byte floats even into a map of 8-byte slots, which any reader
// (TFLM's too) then misreads, so options mixing them with values like 0.3 would be garbled.
const UNIT_SCALES = { y_scale: 1, x_scale: 1, h_scale: 1, w_scale: 1 };
// Anchors (ycenter, xcenter, h, w). With zero encodings and unit scales each decodes to its own
// corners: A0 [0, 0, 1, 1]; A1 [0, 0.25, 1, 1.25] (IoU with A0: 0.75 / 1.25 = 0.6); A2 [2, 2, 4, 4].
const ANCHORS = [0.5, 0.5, 1, 1, 0.5, 0.75, 1, 1, 3, 3, 2, 2];
const ZEROS = new Array<number>(12).fill(0);
// (background, class 0, class 1) per box.
const SCORES = [0, 0.9, 0.1, 0, 0.8, 0.7, 0, 0.2, 0.6];

describe('interpreter: TFLite_Detection_PostProcess', function () {
  it('fast NMS: best class per box, boxes over the IoU threshold suppressed, later slots untouched', function () {
    const it = detector({ ...UNIT_SCALES, max_detections: 3, max_classes_per_detection: 1, num_classes: 2, nms_score_threshold: 0.25, nms_iou_threshold: 0.5 }, ANCHORS, 3, 3);
    // Max scores B0 0.9 (class 0), B1 0.8 (class 0), B2 0.6 (class 1). B0 kept; B1 overlaps it
    // with IoU 0.6 > 0.5: dropped; B2 kept. Slot 2 keeps its -1s (TFLM does not clear it).
    assert.deepEqual(detect(it, ZEROS, SCORES), {
      boxes: [0, 0, 1, 1, 2, 2, 4, 4, -1, -1, -1, -1], classes: [0, 1, -1], scores: [f(0.9), f(0.6), -1], count: 2,
    });
  });

  it('regular NMS: per class, then the best max_detections over all classes; unused slots zeroed', function () {
    const options = { ...UNIT_SCALES, max_detections: 3, max_classes_per_detection: 1, use_regular_nms: true, num_classes: 2, nms_score_threshold: 0.25, nms_iou_threshold: 0.5 };
    // Class 0: B0 0.9, B1 0.8 (B2 0.2 under the threshold); B1 suppressed by B0. Class 1: B1 0.7,
    // B2 0.6, no overlap: both. Merged by score: B0/c0 0.9, B1/c1 0.7, B2/c1 0.6.
    assert.deepEqual(detect(detector(options, ANCHORS, 3, 3), ZEROS, SCORES), {
      boxes: [0, 0, 1, 1, 0, 0.25, 1, 1.25, 2, 2, 4, 4], classes: [0, 1, 1], scores: [f(0.9), f(0.7), f(0.6)], count: 3,
    });
    // max_detections 2 keeps the top two; IoU threshold 0.7 lets B1/c0 (IoU 0.6) through:
    // 0.9, 0.8 (B1/c0); 0.7 and 0.6 fall off. Only max_detections slots are written.
    assert.deepEqual(detect(detector({ ...options, max_detections: 2, nms_iou_threshold: 0.7 }, ANCHORS, 3, 3), ZEROS, SCORES), {
      boxes: [0, 0, 1, 1, 0, 0.25, 1, 1.25, -1, -1, -1, -1], classes: [0, 0, -1], scores: [f(0.9), f(0.8), -1], count: 2,
    });
    // detections_per_class 1: class 1 keeps only B1 (0.7); slot 2 is zeroed.
    assert.deepEqual(detect(detector({ ...options, detections_per_class: 1 }, ANCHORS, 3, 3), ZEROS, SCORES), {
      boxes: [0, 0, 1, 1, 0, 0.25, 1, 1.25, 0, 0, 0, 0], classes: [0, 1, 0], scores: [f(0.9), f(0.7), 0], count: 2,
    });
    // Score threshold 0.75: only B0/c0 survives; slots 1 and 2 (< max_detections) are zeroed.
    assert.deepEqual(detect(detector({ ...options, nms_score_threshold: 0.75 }, ANCHORS, 3, 3), ZEROS, SCORES), {
      boxes: [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], classes: [0, 0, 0], scores: [f(0.9), 0, 0], count: 1,
    });
  });

  it('fast NMS with max_classes_per_detection 2 places categories as TFLM does (slot = 2 * running count + col)', function () {
    const it = detector({ ...UNIT_SCALES, max_detections: 2, max_classes_per_detection: 2, num_classes: 2, nms_score_threshold: 0.25, nms_iou_threshold: 0.5 }, ANCHORS, 3, 4);
    // Selected B0 then B2. B0: class 0 (0.9) at slot 0, class 1 (0.1) at slot 2 * 1 + 1 = 3;
    // B2: slots 4 and 5 are past the 4 outputs (TFLM writes past the tensor; skipped here).
    // num_detections counts all four.
    assert.deepEqual(detect(it, ZEROS, SCORES), {
      boxes: [0, 0, 1, 1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 1, 1], classes: [0, -1, -1, 1], scores: [f(0.9), -1, -1, f(0.1)], count: 4,
    });
  });

  it('decodes center-size encodings with the y/x/h/w scales (double math, float32 results)', function () {
    const it = detector({ y_scale: 10, x_scale: 10, h_scale: 5, w_scale: 5, max_detections: 1, max_classes_per_detection: 1, num_classes: 1, nms_score_threshold: 0.125, nms_iou_threshold: 0.5 },
      [0.5, 0.5, 0.25, 0.5], 1, 1);
    // ycenter = 4 / 10 * 0.25 + 0.5, xcenter = -8 / 10 * 0.5 + 0.5 (double, then float);
    // half_h = 0.5 * exp(0 / 5) * 0.25 = 0.125, half_w = 0.25; corners in float32.
    const y = f((4 / 10) * 0.25 + 0.5);
    const x = f((-8 / 10) * 0.5 + 0.5);
    assert.deepEqual(detect(it, [4, -8, 0, 0], [0.5]), {
      boxes: [f(y - 0.125), f(x - 0.25), f(y + 0.125), f(x + 0.25)], classes: [0], scores: [0.5], count: 1,
    });
  });

  it('fails the invoke on a decoded box with no height (TFLM ValidateBoxes), naming the operator', function () {
    const it = detector({ ...UNIT_SCALES, max_detections: 1, max_classes_per_detection: 1, num_classes: 1, nms_score_threshold: 0.125, nms_iou_threshold: 0.5 }, [0.5, 0.5, 1, 1], 1, 1);
    // exp(-1000) = 0: half_h = 0, so ymin = ymax.
    assert.throws(() => detect(it, [0, 0, -1000, 0], [0.5]),
      (err: unknown) => err instanceof Error && /\(TFLite_Detection_PostProcess\): decoded box 0 .* is empty or inverted/.test(err.message));
  });

  it('refuses an IoU threshold outside (0, 1] and num_classes that do not match the predictions', function () {
    const base = { ...UNIT_SCALES, max_detections: 1, max_classes_per_detection: 1, nms_score_threshold: 0.125 };
    assert.throws(() => detector({ ...base, num_classes: 2, nms_iou_threshold: 0 }, ANCHORS, 3, 1),
      (err: unknown) => err instanceof InterpreterError && /nms_iou_threshold 0 is outside \(0, 1\]/.test(err.message));
    assert.throws(() => detector({ ...base, num_classes: 1, nms_iou_threshold: 0.5 }, ANCHORS, 3, 1),
      (err: unknown) => err instanceof InterpreterError && /num_classes 1 must be the 3 predicted classes, or one fewer/.test(err.message));
  });
});

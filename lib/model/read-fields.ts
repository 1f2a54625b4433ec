// Field numbers (place in the table in tflite_schema.fbs, from 0) of the scalar vectors the
// reader takes in bulk through CheckedByteBuffer.int32s() & co. rather than one generated
// accessor call per element, and of the byte vectors it keeps as views on the file. The schema only ever appends fields, so these never move;
// test/model/read.test.ts checks them against the generated accessors on every reference model.
export const FIELD = {
  tensor: { shape: 0, shapeSignature: 7 },
  quantization: { min: 0, max: 1, scale: 2, zeroPoint: 3 },
  subgraph: { inputs: 1, outputs: 2 },
  operator: { inputs: 1, outputs: 2, customOptions: 5, mutatingVariableInputs: 7, intermediates: 8 },
  buffer: { data: 0 },
} as const;

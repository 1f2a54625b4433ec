/** Why a model was refused; stable strings so callers and tests can branch on them. */
export type ModelErrorCode =
  | 'TRUNCATED'        // shorter than a flatbuffer header, or a read past the end
  | 'IDENTIFIER'       // file identifier is not TFL3
  | 'VERSION'          // schema version is not 3
  | 'STRUCTURE'        // an offset, vtable or vector lies outside the file
  | 'BUDGET'           // the structure claims more elements than its size allows (aliased offsets)
  | 'INDEX'            // a tensor/buffer/opcode/subgraph index is out of range
  | 'DTYPE'            // unknown tensor type
  | 'SHAPE'            // negative dimension, or shape too large
  | 'BUFFER_SIZE'      // constant data length differs from shape x dtype size
  | 'QUANTIZATION'     // per-channel arrays do not match the quantized dimension
  | 'UNPRODUCED'       // an operator reads a tensor nothing has written
  | 'OPCODE';          // an operator code that names no builtin

/**
 * A model that cannot be used, with where: `path` follows the schema's field names
 * (e.g. `subgraphs[0].operators[3].inputs[1]`) so the message points at the offending field.
 */
export class ModelError extends Error {
  readonly code: ModelErrorCode;
  readonly path: string;

  constructor(code: ModelErrorCode, path: string, detail: string) {
    super(path ? `${path}: ${detail}` : detail);
    this.name = 'ModelError';
    this.code = code;
    this.path = path;
  }
}

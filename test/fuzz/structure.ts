// Where a valid .tflite keeps its offsets, vector lengths and tables, so mutators can aim at
// the structure instead of the weights (which make up most of a big model and which any byte
// value leaves valid). Walked with flatbuffers' plain ByteBuffer: the input is a reference
// model, known to be well formed.
import * as flatbuffers from 'flatbuffers';
import { Model as ModelTable } from '../../lib/model/schema/tflite.js';

export interface StructureMap {
  /** Positions of vector and string length fields. */
  lengths: number[];
  /** Positions of uoffset fields: table-valued fields and the elements of table vectors. */
  offsets: number[];
  /** Positions of tables (each starts with the soffset to its vtable). */
  tables: number[];
}

/** The parts of the schema to walk, by field number (place in the table, from 0). */
interface TableShape {
  vectors?: number[];
  strings?: number[];
  tables?: [number, TableShape][];
  tableVectors?: [number, TableShape][];
}

const QUANTIZATION: TableShape = { vectors: [0, 1, 2, 3] };
const TENSOR: TableShape = { vectors: [0, 7], strings: [3], tables: [[4, QUANTIZATION]] };
const OPERATOR: TableShape = { vectors: [1, 2, 5, 7, 8], tables: [[4, {}], [12, {}]] };
const SUBGRAPH: TableShape = { vectors: [1, 2], strings: [4], tableVectors: [[0, TENSOR], [3, OPERATOR]] };
const TENSOR_MAP: TableShape = { strings: [0] };
const MODEL: TableShape = {
  strings: [3],
  vectors: [5],
  tableVectors: [
    [1, { strings: [1] }], // operator_codes: custom_code
    [2, SUBGRAPH],
    [4, { vectors: [0] }], // buffers: data
    [6, { strings: [0] }], // metadata: name
    [7, { strings: [2], tableVectors: [[0, TENSOR_MAP], [1, TENSOR_MAP]] }], // signature_defs
  ],
};

export function mapStructure(bytes: Uint8Array): StructureMap {
  const bb = new flatbuffers.ByteBuffer(bytes);
  const map: StructureMap = { lengths: [], offsets: [], tables: [] };
  const fieldAt = (table: number, slot: number): number => {
    const offset = bb.__offset(table, 4 + 2 * slot);
    return offset === 0 ? 0 : table + offset;
  };
  const walk = (table: number, shape: TableShape): void => {
    map.tables.push(table);
    for (const slot of [...(shape.vectors ?? []), ...(shape.strings ?? [])]) {
      const field = fieldAt(table, slot);
      if (field === 0) continue;
      map.offsets.push(field);
      map.lengths.push(bb.__indirect(field));
    }
    for (const [slot, inner] of shape.tables ?? []) {
      const field = fieldAt(table, slot);
      if (field === 0) continue;
      map.offsets.push(field);
      walk(bb.__indirect(field), inner);
    }
    for (const [slot, inner] of shape.tableVectors ?? []) {
      const field = fieldAt(table, slot);
      if (field === 0) continue;
      map.offsets.push(field);
      map.lengths.push(bb.__indirect(field));
      const start = bb.__vector(field);
      const count = bb.__vector_len(field);
      for (let i = 0; i < count; i++) {
        map.offsets.push(start + 4 * i);
        walk(bb.__indirect(start + 4 * i), inner);
      }
    }
  };
  map.offsets.push(0);
  walk(ModelTable.getRootAsModel(bb).bb_pos, MODEL);
  return map;
}

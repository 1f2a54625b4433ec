// A flatbuffers ByteBuffer that refuses to read outside the file. The generated accessors
// trust every offset they find; over this buffer a bad offset, vtable, vector or string throws
// ModelError('STRUCTURE') naming where the reader was, instead of returning garbage or
// undefined (the plain ByteBuffer reads `bytes_[n]` past the end as undefined -> 0).
import * as flatbuffers from 'flatbuffers';
import { ModelError } from './errors.js';

/**
 * Read budget: every scalar read, every element of a scalar vector and every byte of string
 * decoded costs one unit, and a file of n bytes may spend READS_PER_BYTE * n + READ_BUDGET_BASE
 * units. Offsets may alias (10,000 tensors all pointing at one 10,000-entry shape vector), which
 * would otherwise make reading quadratic in the file size. Measured with loadModel on all 175
 * models under ../shared/models (test/model/read.test.ts re-checks the margin): at most 0.82
 * units per byte (the SEANet add0 test model, 1,288 bytes of almost pure structure), median
 * 0.70; weight-heavy models spend far less (person_detect 0.083, dtln 0.012). 8 leaves a 9.7x
 * margin over the worst real model while capping what an aliasing file can make us build at
 * 8 elements per byte of file (a 160 KB aliasing file is refused after ~1.3M units, ~0.1 s).
 * The base covers the fixed reads of tiny hand-built models.
 */
export const READS_PER_BYTE = 8;
export const READ_BUDGET_BASE = 4096;

export function readBudgetFor(byteLength: number): number {
  return READS_PER_BYTE * byteLength + READ_BUDGET_BASE;
}

const SIZEOF_UOFFSET = 4;
const SIZEOF_VOFFSET = 2;
/** A vtable starts with its own size and its table's size, then one voffset per field. */
const VTABLE_HEADER = 4;
const utf8 = new TextDecoder();

/** Any generated table object: where it starts in the buffer. */
export interface TablePosition {
  bb_pos: number;
}

export class CheckedByteBuffer extends flatbuffers.ByteBuffer {
  /** Where the reader is (a schema path such as `subgraphs[0].tensors[3]`), for error messages. */
  where = '';
  /** Units of the read budget spent so far. */
  reads = 0;
  readonly budget: number;
  private readonly view: DataView;
  private readonly size: number;

  constructor(bytes: Uint8Array, budget: number = readBudgetFor(bytes.byteLength)) {
    super(bytes);
    this.size = bytes.byteLength;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.budget = budget;
  }

  /** Spends `units` of the budget; throws BUDGET once it is exhausted. */
  charge(units: number): void {
    this.reads += units;
    if (this.reads > this.budget) {
      throw new ModelError(
        'BUDGET',
        this.where,
        `read budget of ${this.budget} exhausted: the structure refers to far more data than a ` +
          `${this.size}-byte file holds (aliased offsets?)`,
      );
    }
  }

  /** Throws STRUCTURE unless `width` bytes at `offset` lie inside the file. */
  private need(offset: number, width: number): void {
    if (++this.reads > this.budget) this.charge(0);
    // Written so that NaN fails too.
    if (!(offset >= 0 && offset <= this.size - width)) throw this.outside(offset, width);
  }

  private outside(offset: number, width: number): ModelError {
    return new ModelError(
      'STRUCTURE',
      this.where,
      `${width} byte(s) at offset ${offset} lie outside the file (${this.size} bytes)`,
    );
  }

  override readInt8(offset: number): number {
    this.need(offset, 1);
    return this.view.getInt8(offset);
  }

  override readUint8(offset: number): number {
    this.need(offset, 1);
    return this.view.getUint8(offset);
  }

  override readInt16(offset: number): number {
    this.need(offset, 2);
    return this.view.getInt16(offset, true);
  }

  override readUint16(offset: number): number {
    this.need(offset, 2);
    return this.view.getUint16(offset, true);
  }

  override readInt32(offset: number): number {
    this.need(offset, 4);
    return this.view.getInt32(offset, true);
  }

  override readUint32(offset: number): number {
    this.need(offset, 4);
    return this.view.getUint32(offset, true);
  }

  override readInt64(offset: number): bigint {
    this.need(offset, 8);
    return this.view.getBigInt64(offset, true);
  }

  override readUint64(offset: number): bigint {
    this.need(offset, 8);
    return this.view.getBigUint64(offset, true);
  }

  override readFloat32(offset: number): number {
    this.need(offset, 4);
    return this.view.getFloat32(offset, true);
  }

  override readFloat64(offset: number): number {
    this.need(offset, 8);
    return this.view.getFloat64(offset, true);
  }

  /** Position of the field `vtableOffset` in the table at `tablePos`, or 0 when absent. */
  override __offset(tablePos: number, vtableOffset: number): number {
    const vtable = tablePos - this.readInt32(tablePos);
    const vtableSize = this.readUint16(vtable);
    // voffset_t is unsigned: the plain ByteBuffer's readInt16 would turn 0x8000+ negative.
    return vtableOffset < vtableSize ? this.readUint16(vtable + vtableOffset) : 0;
  }

  /**
   * Follows the uoffset stored at `offset`. uoffsets are unsigned and always point forward;
   * one with the sign bit set would reach past 2 GB, beyond any file this reader accepts.
   */
  override __indirect(offset: number): number {
    const relative = this.readInt32(offset);
    if (relative < 0) {
      throw new ModelError(
        'STRUCTURE',
        this.where,
        `offset at ${offset} points ${relative >>> 0} bytes ahead, past the end of the file (${this.size} bytes)`,
      );
    }
    const target = offset + relative;
    if (target + SIZEOF_UOFFSET > this.size) throw this.outside(target, SIZEOF_UOFFSET);
    return target;
  }

  override __vector(offset: number): number {
    return this.__indirect(offset) + SIZEOF_UOFFSET;
  }

  /**
   * The element count of the vector referenced at `offset`, checked against the bytes left
   * after it (every element takes at least one byte), so no caller allocates or loops for
   * more elements than the file can hold.
   */
  override __vector_len(offset: number): number {
    return this.vectorLength(offset, 1);
  }

  /** Like __vector_len, for vectors whose elements take `elementSize` bytes each. */
  vectorLength(offset: number, elementSize: number): number {
    const start = this.__indirect(offset);
    const length = this.readInt32(start);
    const room = this.size - start - SIZEOF_UOFFSET;
    if (length < 0 || length * elementSize > room) {
      throw new ModelError(
        'STRUCTURE',
        this.where,
        `vector at ${start} claims ${length >>> 0} element(s) of ${elementSize} byte(s) but only ` +
          `${room} bytes follow it`,
      );
    }
    return length;
  }

  override __string(offset: number, encoding?: flatbuffers.Encoding): string | Uint8Array {
    const start = this.__indirect(offset);
    const length = this.vectorLength(offset, 1);
    const bytes = this.bytes().subarray(start + SIZEOF_UOFFSET, start + SIZEOF_UOFFSET + length);
    if (encoding === flatbuffers.Encoding.UTF8_BYTES) return bytes;
    // Decoding costs time per byte: aliased strings must not escape the budget.
    this.charge(length);
    return utf8.decode(bytes);
  }

  override __union(table: flatbuffers.Table, offset: number): flatbuffers.Table {
    table.bb_pos = this.__indirect(offset);
    table.bb = this;
    return table;
  }

  /**
   * Start and length of the scalar vector in field number `slot` (its place in the schema's
   * table, from 0) of the table at `tablePos`, or null when the field is absent. The whole
   * vector is charged to the budget before anyone loops over it.
   */
  private scalarVector(tablePos: number, slot: number, elementSize: number): { start: number; length: number } | null {
    const field = this.__offset(tablePos, VTABLE_HEADER + SIZEOF_VOFFSET * slot);
    if (field === 0) return null;
    const length = this.vectorLength(tablePos + field, elementSize);
    this.charge(length);
    return { start: this.__vector(tablePos + field), length };
  }

  /**
   * The [int] vector in field `slot` of `table`, or null when absent. One bounds check for the
   * whole vector instead of a vtable lookup per element as the generated `shape(i)` does, which
   * made aliased shape vectors five times as costly.
   */
  int32s(table: TablePosition, slot: number): number[] | null {
    const vector = this.scalarVector(table.bb_pos, slot, 4);
    if (vector === null) return null;
    const out = new Array<number>(vector.length);
    for (let i = 0; i < vector.length; i++) out[i] = this.view.getInt32(vector.start + 4 * i, true);
    return out;
  }

  /** The [float] vector in field `slot` of `table`, or null when absent. */
  float32s(table: TablePosition, slot: number): number[] | null {
    const vector = this.scalarVector(table.bb_pos, slot, 4);
    if (vector === null) return null;
    const out = new Array<number>(vector.length);
    for (let i = 0; i < vector.length; i++) out[i] = this.view.getFloat32(vector.start + 4 * i, true);
    return out;
  }

  /** The [long] vector in field `slot` of `table` as numbers (exact up to 2^53), or null when absent. */
  int64s(table: TablePosition, slot: number): number[] | null {
    const vector = this.scalarVector(table.bb_pos, slot, 8);
    if (vector === null) return null;
    const out = new Array<number>(vector.length);
    for (let i = 0; i < vector.length; i++) {
      // high * 2^32 + low rounds once, like Number(getBigInt64()), without allocating a BigInt.
      const at = vector.start + 8 * i;
      out[i] = this.view.getInt32(at + 4, true) * 0x100000000 + this.view.getUint32(at, true);
    }
    return out;
  }

  /** The [bool] vector in field `slot` of `table`, or null when absent. */
  bools(table: TablePosition, slot: number): boolean[] | null {
    const vector = this.scalarVector(table.bb_pos, slot, 1);
    if (vector === null) return null;
    const out = new Array<boolean>(vector.length);
    for (let i = 0; i < vector.length; i++) out[i] = this.view.getUint8(vector.start + i) !== 0;
    return out;
  }

  /**
   * The [ubyte] vector in field `slot` of `table` as a zero-copy view on the file (a plain
   * Uint8Array even when the file is a Node Buffer), or null when absent or empty. Costs no
   * more than its lookup: nothing is copied or decoded.
   */
  bytesView(table: TablePosition, slot: number): Uint8Array | null {
    const field = this.__offset(table.bb_pos, VTABLE_HEADER + SIZEOF_VOFFSET * slot);
    if (field === 0) return null;
    const length = this.vectorLength(table.bb_pos + field, 1);
    if (length === 0) return null;
    const file = this.bytes();
    return new Uint8Array(file.buffer, file.byteOffset + this.__vector(table.bb_pos + field), length);
  }

  /** Reads `count` items of a table vector, pointing the error path at each one in turn. */
  list<T>(path: string, count: number, item: (i: number) => T): T[] {
    const out: T[] = [];
    for (let i = 0; i < count; i++) {
      this.where = `${path}[${i}]`;
      out.push(item(i));
    }
    return out;
  }
}


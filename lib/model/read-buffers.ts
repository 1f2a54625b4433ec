// The model's buffers table, read on demand: tensors and metadata refer to buffers by index,
// and the data becomes a zero-copy view on the file, whether it sits inside the flatbuffer
// (Buffer.data) or after it (Buffer.offset/size, the layout of models over 2 GB).
import type { Model as ModelTable } from './schema/tflite.js';
import type { CheckedByteBuffer } from './checked-byte-buffer.js';
import { ModelError } from './errors.js';
import { FIELD } from './read-fields.js';
import { checkIndex } from './validate.js';

export class BufferReader {
  /** True once any buffer or custom options were found stored after the flatbuffer. */
  appended = false;
  readonly count: number;
  private readonly cache = new Map<number, Uint8Array | null>();

  constructor(
    private readonly bb: CheckedByteBuffer,
    private readonly root: ModelTable,
    private readonly bytes: Uint8Array,
  ) {
    bb.where = 'buffers';
    this.count = root.buffersLength();
  }

  /** The data of buffer `index` (referenced from `path`), or null when it is empty. */
  data(index: number, path: string): Uint8Array | null {
    checkIndex(index, this.count, path, 'buffer', 'buffers');
    const cached = this.cache.get(index);
    if (cached !== undefined) return cached;

    const where = this.bb.where;
    this.bb.where = `buffers[${index}]`;
    const buffer = this.root.buffers(index)!;
    let data = this.bb.bytesView(buffer, FIELD.buffer.data);
    if (data === null) {
      this.bb.where = `buffers[${index}].offset`;
      data = this.appendedSlice(buffer.offset(), buffer.size(), this.bb.where);
    }
    this.bb.where = where;
    this.cache.set(index, data);
    return data;
  }

  /**
   * The bytes at [offset, offset + size) of the file, for data stored after the flatbuffer.
   * The schema marks such data with offset > 1 (0 and 1 mean "not stored this way").
   */
  appendedSlice(offset: bigint, size: bigint, path: string): Uint8Array | null {
    if (offset <= 1n) return null;
    this.appended = true;
    const fileSize = BigInt(this.bytes.byteLength);
    if (offset + size > fileSize) {
      throw new ModelError(
        'TRUNCATED',
        path,
        `data at ${offset}..${offset + size} lies past the end of the file (${fileSize} bytes)`,
      );
    }
    if (size === 0n) return null;
    // A plain Uint8Array view even when the caller passed a Node Buffer, as Buffer.dataArray() gives.
    return new Uint8Array(this.bytes.buffer, this.bytes.byteOffset + Number(offset), Number(size));
  }
}

// NumPy's .npy format (numpy.lib.format, versions 1.0 to 3.0): the magic "\x93NUMPY", a version,
// a little-endian header length (2 bytes in 1.0, 4 in 2.0 and 3.0), then a Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (100, 8), } and the raw array in C order.
import { SampleError } from './sample-error.js';

export interface NpyArray {
  shape: number[];
  /** The array's values in C order, converted to numbers. */
  values: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

interface Dtype {
  bytes: number;
  read: (view: DataView, offset: number) => number;
}

// Little-endian ('<') or byte-order-free ('|', single bytes) types; '=' is native order, which
// every platform Node runs on reads as little-endian.
const DTYPES: Readonly<Record<string, Dtype>> = {
  f4: { bytes: 4, read: (v, o) => v.getFloat32(o, true) },
  f8: { bytes: 8, read: (v, o) => v.getFloat64(o, true) },
  i1: { bytes: 1, read: (v, o) => v.getInt8(o) },
  u1: { bytes: 1, read: (v, o) => v.getUint8(o) },
  i2: { bytes: 2, read: (v, o) => v.getInt16(o, true) },
  i4: { bytes: 4, read: (v, o) => v.getInt32(o, true) },
};

export function isNpy(bytes: Uint8Array): boolean {
  return MAGIC.every((b, i) => bytes[i] === b);
}

function headerField(header: string, key: string, where: string): string {
  const match = new RegExp(`['"]${key}['"]\\s*:\\s*('[^']*'|"[^"]*"|True|False|\\([^)]*\\))`).exec(header);
  if (match === null) throw new SampleError(`${where}: the header has no '${key}' (header: ${header.trim()})`);
  return match[1];
}

function parseDtype(descr: string, where: string): Dtype {
  const order = descr[0];
  const code = descr.slice(1);
  const dtype = DTYPES[code];
  if (dtype === undefined) {
    throw new SampleError(`${where}: dtype '${descr}' is not supported (float32 '<f4', float64 '<f8', int8 '|i1', uint8 '|u1', int16 '<i2', int32 '<i4')`);
  }
  if (order === '>' && dtype.bytes > 1) throw new SampleError(`${where}: dtype '${descr}' is big-endian; save it little-endian ('<${code}')`);
  if (!'<|=>'.includes(order)) throw new SampleError(`${where}: dtype '${descr}' is not understood`);
  return dtype;
}

function parseShape(text: string, where: string): number[] {
  const inner = text.slice(1, -1).trim();
  if (inner === '') return [];
  const dims = inner.split(',').map((d) => d.trim()).filter((d) => d !== '');
  return dims.map((d) => {
    if (!/^\d+$/.test(d)) throw new SampleError(`${where}: shape ${text} is not a tuple of sizes`);
    return Number(d);
  });
}

/** Reads a .npy file; `where` names it in errors. */
export function readNpy(bytes: Uint8Array, where: string): NpyArray {
  if (!isNpy(bytes)) throw new SampleError(`${where}: not a .npy file (it does not start with \\x93NUMPY)`);
  if (bytes.length < 10) throw new SampleError(`${where}: truncated .npy header`);
  const major = bytes[6];
  if (major < 1 || major > 3) throw new SampleError(`${where}: .npy version ${major}.${bytes[7]} is not supported (1.0 to 3.0)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new SampleError(`${where}: truncated .npy header`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = 8 + lengthBytes + headerLength;
  if (dataOffset > bytes.length) throw new SampleError(`${where}: the .npy header says ${headerLength} bytes, the file ends before`);
  const headerBytes = bytes.subarray(8 + lengthBytes, dataOffset);
  // Versions 1 and 2 store the header in latin-1, version 3 in UTF-8; the fields we read are ASCII.
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);
  const dtype = parseDtype(headerField(header, 'descr', where).slice(1, -1), where);
  if (headerField(header, 'fortran_order', where) !== 'False') {
    throw new SampleError(`${where}: fortran_order is True; save the array in C order (numpy.ascontiguousarray)`);
  }
  const shape = parseShape(headerField(header, 'shape', where), where);
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = count * dtype.bytes;
  if (bytes.length - dataOffset !== expected) {
    throw new SampleError(`${where}: shape (${shape.join(', ')}) needs ${expected} bytes of data, the file has ${bytes.length - dataOffset}`);
  }
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = dtype.read(view, dataOffset + i * dtype.bytes);
  return { shape, values };
}

// The schema's unions (builtin_options, builtin_options_2, quantization details) store a type tag
// beside the value. Our Model keeps only the decoded *T object for quantization details, and
// hand-built operators should not have to repeat the tag, so we recover it from the object's class.
// The class -> tag table is derived from flatc's own union switch (unionTo*), not from class
// names: each union member's table is unpacked from an empty table to learn its *T class.
import * as flatbuffers from 'flatbuffers';
import { BuiltinOptions, unionToBuiltinOptions } from './schema/tflite/builtin-options.js';
import { BuiltinOptions2, unionToBuiltinOptions2 } from './schema/tflite/builtin-options2.js';
import { QuantizationDetails, unionToQuantizationDetails } from './schema/tflite/quantization-details.js';
import type { BuiltinOptions2Value, BuiltinOptionsValue, QuantizationDetailsValue } from './types.js';

interface UnionMemberTable {
  __init(position: number, bb: flatbuffers.ByteBuffer): { unpack(): object };
}

/** A table with no fields: every member table unpacks from it to its *T class with defaults. */
function emptyTable(): { bb: flatbuffers.ByteBuffer; position: number } {
  const builder = new flatbuffers.Builder(16);
  builder.startObject(0);
  builder.finish(builder.endObject());
  const bb = new flatbuffers.ByteBuffer(builder.asUint8Array());
  return { bb, position: bb.readInt32(0) };
}

function tagsByClass(
  enumObject: Record<string, string | number>,
  memberTable: (tag: number) => UnionMemberTable | null,
): Map<object, number> {
  const { bb, position } = emptyTable();
  const tags = new Map<object, number>();
  for (const tag of Object.values(enumObject)) {
    if (typeof tag !== 'number') continue;
    const table = memberTable(tag);
    if (table === null) continue;
    tags.set(Object.getPrototypeOf(table.__init(position, bb).unpack()) as object, tag);
  }
  return tags;
}

let builtinOptionsTags: Map<object, number> | null = null;
let builtinOptions2Tags: Map<object, number> | null = null;
let detailsTags: Map<object, number> | null = null;

function lookup(tags: Map<object, number>, value: object, union: string): number {
  const tag = tags.get(Object.getPrototypeOf(value) as object);
  if (tag === undefined) {
    throw new TypeError(`${value.constructor.name} is not a member of the schema union ${union}`);
  }
  return tag;
}

/** The BuiltinOptions tag of a *OptionsT object, e.g. FullyConnectedOptionsT -> FullyConnectedOptions. */
export function builtinOptionsTypeOf(options: BuiltinOptionsValue): BuiltinOptions {
  builtinOptionsTags ??= tagsByClass(BuiltinOptions, (tag) => unionToBuiltinOptions(tag, (table) => table));
  return lookup(builtinOptionsTags, options, 'BuiltinOptions') as BuiltinOptions;
}

export function builtinOptions2TypeOf(options: BuiltinOptions2Value): BuiltinOptions2 {
  builtinOptions2Tags ??= tagsByClass(BuiltinOptions2, (tag) => unionToBuiltinOptions2(tag, (table) => table));
  return lookup(builtinOptions2Tags, options, 'BuiltinOptions2') as BuiltinOptions2;
}

export function quantizationDetailsTypeOf(details: QuantizationDetailsValue): QuantizationDetails {
  detailsTags ??= tagsByClass(QuantizationDetails, (tag) => unionToQuantizationDetails(tag, (table) => table));
  return lookup(detailsTags, details, 'QuantizationDetails') as QuantizationDetails;
}

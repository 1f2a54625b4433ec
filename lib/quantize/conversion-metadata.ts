// The converter's CONVERSION_METADATA buffer (TF's conversion_metadata.fbs: ConversionMetadata
// { environment: Environment, options: ConversionOptions }), rewritten so that
// options.model_optimization_modes records the quantization. The environment (TF version, API
// version, model type, model hash) is kept from the float model: the hash TF computes over the
// source model cannot be reproduced here.
import * as flatbuffers from 'flatbuffers';

/** ModelOptimizationMode values of conversion_metadata.fbs. */
export const MODEL_OPTIMIZATION_MODES = {
  PTQ_FLOAT16: 1001,
  PTQ_DYNAMIC_RANGE: 1002,
  PTQ_FULL_INTEGER: 1003,
  PTQ_INT16: 1004,
} as const;

interface Environment {
  tensorflowVersion: string | null;
  apiVersion: number;
  modelType: number;
  modelHash: bigint;
}

interface Options {
  allowCustomOps: boolean;
  enableSelectTfOps: boolean;
  forceSelectTfOps: boolean;
}

/** Position of field `slot` of the table at `table`, or 0 when absent. */
function field(bb: flatbuffers.ByteBuffer, table: number, slot: number): number {
  const offset = bb.__offset(table, 4 + 2 * slot);
  return offset === 0 ? 0 : table + offset;
}

function read(bytes: Uint8Array): { environment: Environment | null; options: Options } {
  const bb = new flatbuffers.ByteBuffer(bytes);
  const root = bb.readInt32(bb.position()) + bb.position();
  const envField = field(bb, root, 0);
  let environment: Environment | null = null;
  if (envField !== 0) {
    const env = bb.__indirect(envField);
    const at = (slot: number): number => field(bb, env, slot);
    environment = {
      tensorflowVersion: at(0) === 0 ? null : (bb.__string(at(0)) as string),
      apiVersion: at(1) === 0 ? 0 : bb.readUint32(at(1)),
      modelType: at(2) === 0 ? 0 : bb.readInt32(at(2)),
      modelHash: at(3) === 0 ? 0n : bb.readUint64(at(3)),
    };
  }
  const optField = field(bb, root, 1);
  const options: Options = { allowCustomOps: false, enableSelectTfOps: false, forceSelectTfOps: false };
  if (optField !== 0) {
    const opt = bb.__indirect(optField);
    const flag = (slot: number): boolean => field(bb, opt, slot) !== 0 && bb.readInt8(field(bb, opt, slot)) !== 0;
    options.allowCustomOps = flag(1);
    options.enableSelectTfOps = flag(2);
    options.forceSelectTfOps = flag(3);
  }
  return { environment, options };
}

/** The float model's CONVERSION_METADATA with model_optimization_modes = [mode]; null if it cannot be read. */
export function conversionMetadataFor(floatMetadata: Uint8Array, mode: keyof typeof MODEL_OPTIMIZATION_MODES): Uint8Array | null {
  let parsed: ReturnType<typeof read>;
  try {
    parsed = read(floatMetadata);
  } catch {
    return null;
  }
  const b = new flatbuffers.Builder(96);
  let environment = 0;
  if (parsed.environment !== null) {
    const env = parsed.environment;
    const version = env.tensorflowVersion === null ? 0 : b.createString(env.tensorflowVersion);
    // Field order as TF's writer adds them (the same 96-byte layout as its files).
    b.startObject(4);
    if (version !== 0) b.addFieldOffset(0, version, 0);
    b.addFieldInt32(1, env.apiVersion, 0);
    b.addFieldInt32(2, env.modelType, 0);
    b.addFieldInt64(3, env.modelHash, 0n);
    environment = b.endObject();
  }
  b.startVector(4, 1, 4);
  b.addInt32(MODEL_OPTIMIZATION_MODES[mode]);
  const modes = b.endVector();
  b.startObject(5);
  b.addFieldOffset(0, modes, 0);
  b.addFieldInt8(1, parsed.options.allowCustomOps ? 1 : 0, 0);
  b.addFieldInt8(2, parsed.options.enableSelectTfOps ? 1 : 0, 0);
  b.addFieldInt8(3, parsed.options.forceSelectTfOps ? 1 : 0, 0);
  const options = b.endObject();
  b.startObject(2);
  if (environment !== 0) b.addFieldOffset(0, environment, 0);
  b.addFieldOffset(1, options, 0);
  b.finish(b.endObject());
  return b.asUint8Array().slice();
}

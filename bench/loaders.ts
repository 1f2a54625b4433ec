// What the benchmark times: our loader and its peers, each a function of the model bytes.
// A peer that cannot run here says why instead of failing the whole benchmark.
import { ByteBuffer } from 'flatbuffers';
import { loadModel } from '../lib/model/read.js';
import { Model as ModelTable } from '../lib/model/schema/tflite.js';
import { loadLiteRtPeer } from './litert.js';

export interface Loader {
  /** Short column name. */
  id: string;
  /** What exactly is timed, for the table's legend and the JSON. */
  description: string;
  version: string;
  /** Loads the model; throws when the loader refuses it. */
  load(bytes: Uint8Array): unknown;
  /** The loader's own reason for the last refusal, when it reports one out of band. */
  lastRefusal?(): string | null;
}

export interface UnavailableLoader {
  id: string;
  description: string;
  unavailable: string;
}

export const ours: Loader = {
  id: 'tinyml',
  description: 'loadModel(bytes): read + validate into the typed Model (constant data zero-copy)',
  version: 'this tree',
  load: loadModel,
};

export function flatbuffersObjectApi(flatbuffersVersion: string): Loader {
  return {
    id: 'flatbuffers',
    description: 'generated flatbuffers object API: Model.getRootAsModel(bb).unpack(), no validation (copies every buffer into number[])',
    version: flatbuffersVersion,
    load: (bytes) => ModelTable.getRootAsModel(new ByteBuffer(bytes)).unpack(),
  };
}

export async function peers(flatbuffersVersion: string): Promise<(Loader | UnavailableLoader)[]> {
  return [flatbuffersObjectApi(flatbuffersVersion), await loadLiteRtPeer()];
}

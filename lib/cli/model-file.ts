import { loadModel } from '../model/read.js';
import { ModelError } from '../model/errors.js';
import type { Model } from '../model/types.js';
import { CliError } from './errors.js';
import { readInputFile } from './files.js';

/**
 * Validates bytes as a model, turning a ModelError into a message that names the source
 * (and ends with `hint`, e.g. how to go on anyway).
 */
export function loadModelBytes(bytes: Uint8Array, source: string, hint = ''): Model {
  try {
    return loadModel(bytes);
  } catch (err) {
    if (err instanceof ModelError) throw new CliError(`${source} is not a valid model: ${err.message}${hint ? ` (${hint})` : ''}`);
    throw err;
  }
}

export interface ModelFile {
  bytes: Uint8Array;
  model: Model;
}

export function readModelFile(file: string): ModelFile {
  const bytes = readInputFile(file, 'model');
  return { bytes, model: loadModelBytes(bytes, file) };
}

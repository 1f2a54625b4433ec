// Files a node's config names (a model, a data set): paths relative to the Node-RED user dir,
// failures as a ModelFileError whose detail a status can show beside the file name.
import fs from 'node:fs';
import path from 'node:path';
import { ModelFileError, messageOf } from './lib-bridge.js';

/** The absolute file a config's path names: absolute as given, or relative to the user dir. */
export function userFilePath(userDir: string, file: string): string {
  return path.resolve(userDir, file.trim());
}

/** The file's bytes, or why they cannot be had (missing, a directory, no permission...). */
export function readUserFile(file: string): Buffer | ModelFileError {
  try {
    if (!fs.statSync(file).isFile()) return new ModelFileError(file, 'not a regular file');
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new ModelFileError(file, 'file not found');
    if (code === 'EACCES') return new ModelFileError(file, 'permission denied');
    return new ModelFileError(file, messageOf(err));
  }
}

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

/**
 * The folder a node writes into: an absolute path as given (as tinyml-model reads absolute
 * paths); a relative one resolves against the user dir and must stay strictly inside it, so
 * `../x` cannot reach beyond it and `.` cannot scatter files among the user's flows.
 */
export function userOutputDir(userDir: string, dir: string): string | Error {
  const given = dir.trim();
  if (!given) return new Error('no output folder configured');
  if (path.isAbsolute(given)) return path.resolve(given);
  const root = path.resolve(userDir);
  const resolved = path.resolve(root, given);
  const inside = path.relative(root, resolved);
  if (!inside || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) {
    return new Error(`output folder "${given}" must be a folder inside the Node-RED user dir (or an absolute path)`);
  }
  return resolved;
}

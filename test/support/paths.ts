// Where tests find the project and ../shared, whether they run from test/ or from dist/test/.
import fs from 'node:fs';
import path from 'node:path';

function findRepoRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json')) || dir.endsWith(`${path.sep}dist`)) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = findRepoRoot(__dirname);
export const SHARED = path.resolve(REPO_ROOT, '../shared');

function walk(dir: string, out: string[]): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** Every .tflite under ../shared/models, sorted, as absolute paths. */
export function sharedModelPaths(): string[] {
  return walk(path.join(SHARED, 'models'), []).filter((f) => f.endsWith('.tflite')).sort();
}

/** A path relative to ../shared, for test titles. */
export function sharedName(file: string): string {
  return path.relative(SHARED, file);
}

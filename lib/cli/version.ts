import fs from 'node:fs';
import path from 'node:path';

const PACKAGE_NAME = 'node-red-contrib-tinyml';

/** The package's version, read from its package.json wherever the compiled file sits. */
export function packageVersion(): string {
  let dir = __dirname;
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (typeof pkg === 'object' && pkg !== null && 'name' in pkg && pkg.name === PACKAGE_NAME
        && 'version' in pkg && typeof pkg.version === 'string') {
        return pkg.version;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

// Node-RED loads a node's .html (and icons/, locales/) from beside its .js, so after tsc has
// compiled nodes/*.ts to dist/nodes/*.js, put the editor files there too.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/nodes');
fs.mkdirSync(out, { recursive: true });

let copied = 0;
for (const name of fs.readdirSync(path.join(root, 'nodes'))) {
  if (name.endsWith('.html')) {
    fs.copyFileSync(path.join(root, 'nodes', name), path.join(out, name));
    copied++;
  }
}
for (const dir of ['icons', 'nodes/locales']) {
  const from = path.join(root, dir);
  if (fs.existsSync(from)) fs.cpSync(from, path.join(out, path.basename(dir)), { recursive: true });
}
console.log(`copy-assets: ${copied} node .html files (and icons/locales) -> dist/nodes`);

// tsc writes 0644; make the CLI runnable as ./dist/lib/cli/main.js too (npm sets the mode only when linking bins).
const cli = path.join(root, 'dist/lib/cli/main.js');
if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);

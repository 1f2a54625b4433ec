// The default-mode output compiled by the real gcc and g++, linked into a program that reports
// where the array landed, its length and a checksum of its bytes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toCArray } from '../../lib/codegen/c-array.js';
import { SHARED } from '../support/paths.js';
import { runTool, toolExists } from './tools.js';

const MODELS = [
  path.join(SHARED, 'models/tflm/examples/hello_world/models/hello_world_int8.tflite'),
  path.join(SHARED, 'models/tflm/examples/dtln/dtln_noise_suppression.tflite'),
];
const WARNINGS = ['-Wall', '-Wextra', '-pedantic', '-Werror'];

/** FNV-1a over the bytes, as the C program below computes it. */
function fnv1a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

function mainProgram(headerFileName: string, name: string, alignment: number): string {
  return `#include <stdint.h>
#include <stdio.h>
#include "${headerFileName}"

int main(void) {
  uint32_t hash = 2166136261u;
  unsigned int i;
  for (i = 0; i < ${name}_len; i++) {
    hash ^= ${name}[i];
    hash *= 16777619u;
  }
  printf("%u %u %lu %lu\\n", (unsigned)((uintptr_t)${name} % ${alignment}u), ${name}_len,
         (unsigned long)sizeof(${name}), (unsigned long)hash);
  return 0;
}
`;
}

// __alignof__ of a variable is its declared alignment (1 for a plain char array), so this
// compiles only when the definition carries the alignment; the ABI's own padding of large
// arrays cannot make it pass.
function alignmentCheck(sourceFileName: string, name: string, alignment: number): string {
  return `#include "${sourceFileName}"
typedef char ${name}_is_aligned[(__alignof__(${name}) >= ${alignment}) ? 1 : -1];
`;
}

describe('toCArray default mode compiles with gcc and g++', function () {
  this.timeout(120_000);
  let dir = '';

  before(async function () {
    if (!(await toolExists('gcc')) || !(await toolExists('g++'))) {
      console.warn('    gcc or g++ is not installed: skipping the compile tests of the generated C (apt-get install gcc g++)');
      this.skip();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-c-array-'));
  });
  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  // 64 is past what the x86-64 ABI gives large arrays anyway, so that run needs the attribute.
  const runs = [[MODELS[0], 16], [MODELS[0], 64], [MODELS[1], 16]] as const;
  for (const [model, alignment] of runs) {
    it(`${path.basename(model)} aligned to ${alignment}: C99, C11 and C++11 objects link into a program that sees every byte`, async function () {
      const bytes = fs.readFileSync(model);
      const result = toCArray(bytes, { fileName: model, alignment });
      const work = fs.mkdtempSync(path.join(dir, `${result.name}-`));
      fs.writeFileSync(path.join(work, result.sourceFileName), result.source);
      fs.writeFileSync(path.join(work, result.headerFileName ?? ''), result.header ?? '');
      fs.writeFileSync(path.join(work, 'main.c'), mainProgram(result.headerFileName ?? '', result.name, alignment));
      fs.writeFileSync(path.join(work, 'align_check.c'), alignmentCheck(result.sourceFileName, result.name, alignment));

      const builds = [
        { label: 'C99', compiler: 'gcc', flags: ['-std=c99'] },
        { label: 'C11', compiler: 'gcc', flags: ['-std=c11'] },
        { label: 'C++11', compiler: 'g++', flags: ['-std=c++11', '-x', 'c++'] },
      ];
      await runTool('gcc', ['-std=c99', ...WARNINGS, '-c', 'main.c', '-o', 'main.o'], work);
      const expected = `0 ${bytes.length} ${bytes.length} ${fnv1a(bytes)}`;
      for (const build of builds) {
        const object = `model-${build.label}.o`;
        await runTool(build.compiler, [...build.flags, ...WARNINGS, '-c', result.sourceFileName, '-o', object], work);
        await runTool(build.compiler, [...build.flags, ...WARNINGS, '-c', 'align_check.c', '-o', `align-${build.label}.o`], work);
        const program = `program-${build.label}`;
        await runTool('gcc', ['main.o', object, '-o', program], work);
        const { stdout } = await runTool(path.join(work, program), [], work);
        assert.equal(stdout.toString().trim(), expected, `${build.label}: address % ${alignment}, _len, sizeof, FNV-1a`);
      }
    });
  }

  it('the alignment check fails on an array without alignment (xxd output)', async function () {
    const bytes = fs.readFileSync(MODELS[0]);
    const plain = toCArray(bytes, { fileName: MODELS[0], xxd: true });
    const work = fs.mkdtempSync(path.join(dir, 'xxd-'));
    fs.writeFileSync(path.join(work, plain.sourceFileName), plain.source);
    fs.writeFileSync(path.join(work, 'align_check.c'), alignmentCheck(plain.sourceFileName, plain.name, 16));
    await assert.rejects(runTool('gcc', ['-std=c99', '-c', 'align_check.c', '-o', 'align.o'], work), /size of array .* is negative|negative/);
  });
});

// The int16 SOFTMAX exp table is built with Math.exp rounded to float32, where TFLM's gen_lut calls
// std::exp on a float, i.e. the C library's expf, which is not always correctly rounded (glibc's
// is within 0.502 ULP). The goldens come from x86-64 glibc, so build the table again from glibc's
// own expf values (a small C program, gcc as for the C-array tests) and require the same entries.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { int16Lut } from '../../lib/interpreter/kernels/int16-lut.js';

const EXPF_PROGRAM = `#include <math.h>
#include <stdio.h>
int main(void) {
  float x;
  while (fread(&x, sizeof x, 1, stdin) == 1) { volatile float y = expf(x); fwrite((const void *)&y, sizeof y, 1, stdout); }
  return 0;
}
`;

describe('interpreter: int16 SOFTMAX exp table against glibc expf', function () {
  it('has the entries gen_lut makes from expf over [-10, 0]', function () {
    this.timeout(20000);
    // Every float32 point gen_lut evaluates the function at: collect them by running it once.
    const points: number[] = [];
    int16Lut((x) => { points.push(Math.fround(x)); return Math.exp(x); }, -10, 0, -1, 1);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-expf-'));
    try {
      fs.writeFileSync(path.join(dir, 'expf.c'), EXPF_PROGRAM);
      execFileSync('gcc', ['-O0', '-o', path.join(dir, 'expf'), path.join(dir, 'expf.c'), '-lm']);
      const input = Buffer.from(new Float32Array(points).buffer);
      const output = execFileSync(path.join(dir, 'expf'), { input });
      const expf = new Float32Array(output.buffer.slice(output.byteOffset, output.byteOffset + output.byteLength));
      assert.equal(expf.length, points.length);
      const byPoint = new Map(points.map((x, i) => [x, expf[i]]));
      const fromC = int16Lut((x) => byPoint.get(Math.fround(x)) ?? Number.NaN, -10, 0, -1, 1);
      const ours = int16Lut((x) => Math.exp(x), -10, 0, -1, 1);
      // The float values do differ somewhere (glibc rounds exp(-2.2168) up); the table must not.
      assert.deepEqual(Array.from(ours), Array.from(fromC));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

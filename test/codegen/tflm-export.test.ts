// tflmProject(): the generated TFLM sketch registers exactly the model's ops, sizes the arena
// from our plan plus a margin that covers TFLM's measured bookkeeping, and is valid C++ (checked
// with g++ -fsyntax-only against minimal stand-ins for the Arduino and TFLM headers, whose
// resolver declares every Add*() method tflm_ops.json lists).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tflmArenaMargin } from '../../lib/codegen/tflm-arena-margin.js';
import { TflmExportError, tflmProject, type TflmProject } from '../../lib/codegen/tflm-export.js';
import { findBoard } from '../../lib/deploy/boards/index.js';
import { Interpreter } from '../../lib/interpreter/interpreter.js';
import { loadModel } from '../../lib/model/read.js';
import type { Model } from '../../lib/model/types.js';
import { SHARED } from '../support/paths.js';
import { runTool, toolExists } from './tools.js';

interface SpecOp { name?: string; custom_name?: string; kind: string; resolver_method: string }
const SPEC = JSON.parse(fs.readFileSync(path.join(SHARED, 'spec/tflm_ops.json'), 'utf8')) as { ops: SpecOp[] };

const TFLM = path.join(SHARED, 'models/tflm');
// The Add*() calls TFLM's own examples make for these models (hello_world.cc,
// micro_speech_test.cc's MicroSpeechOpResolver and AudioPreprocessorOpResolver,
// person_detection_test.cc), as sets.
const CASES: { name: string; file: string; methods: string[] }[] = [
  { name: 'hello_world_int8', file: 'examples/hello_world/models/hello_world_int8.tflite', methods: ['AddFullyConnected'] },
  {
    name: 'micro_speech_quantized', file: 'examples/micro_speech/models/micro_speech_quantized.tflite',
    methods: ['AddReshape', 'AddFullyConnected', 'AddDepthwiseConv2D', 'AddSoftmax'],
  },
  {
    name: 'person_detect', file: 'models/person_detect.tflite',
    methods: ['AddAveragePool2D', 'AddConv2D', 'AddDepthwiseConv2D', 'AddReshape', 'AddSoftmax'],
  },
  {
    name: 'audio_preprocessor_int8', file: 'examples/micro_speech/models/audio_preprocessor_int8.tflite',
    methods: [
      'AddReshape', 'AddCast', 'AddStridedSlice', 'AddConcatenation', 'AddMul', 'AddAdd', 'AddDiv', 'AddMinimum',
      'AddMaximum', 'AddWindow', 'AddFftAutoScale', 'AddRfft', 'AddEnergy', 'AddFilterBank', 'AddFilterBankSquareRoot',
      'AddFilterBankSpectralSubtraction', 'AddPCAN', 'AddFilterBankLog',
    ],
  },
];

function load(file: string): { bytes: Uint8Array; model: Model } {
  const bytes = new Uint8Array(fs.readFileSync(path.join(TFLM, file)));
  return { bytes, model: loadModel(bytes) };
}

/** Each op of the model mapped through tflm_ops.json itself (builtins by name, customs by custom code). */
function specMethods(model: Model): Set<string> {
  const methods = new Set<string>();
  for (const op of model.subgraphs.flatMap((s) => s.operators)) {
    const name = op.op === 'CUSTOM' ? op.customCode : op.op;
    const spec = SPEC.ops.find((o) => (o.kind === 'custom' ? o.custom_name : o.name) === name);
    assert.ok(spec, `${name} in tflm_ops.json`);
    methods.add(spec.resolver_method);
  }
  return methods;
}

function addCalls(text: string): string[] {
  return [...text.matchAll(/^ {2}resolver\.(Add\w+)\(\);$/gm)].map((m) => m[1]);
}

function mainFile(project: TflmProject): string {
  const entry = Object.entries(project.files).find(([file]) => /\.(ino|cpp)$/.test(file));
  assert.ok(entry, 'a .ino or main.cpp');
  return entry[1];
}

function constant(text: string, name: string): number {
  const match = new RegExp(`constexpr (?:int|size_t) ${name} = (\\d+);`).exec(text);
  assert.ok(match, `${name} in the sketch`);
  return Number(match[1]);
}

describe('codegen/tflm-export', function () {
  for (const c of CASES) {
    it(`${c.name}: one Add*() per distinct op, N = their count, arena = plan + margin`, function () {
      const { bytes, model } = load(c.file);
      const project = tflmProject(model, bytes, { name: c.name, board: findBoard('nano33ble') });
      const text = mainFile(project);
      const calls = addCalls(text);
      assert.deepEqual([...calls].sort(), [...c.methods].sort(), 'the Add*() calls TFLM\'s example makes');
      assert.deepEqual(new Set(calls), specMethods(model), 'every op of the model, via tflm_ops.json');
      assert.equal(new Set(calls).size, calls.length, 'each Add*() once: TFLM refuses a second registration');
      assert.equal(constant(text, 'kOpCount'), c.methods.length);
      assert.match(text, /static tflite::MicroMutableOpResolver<kOpCount> resolver;/);
      const interpreter = new Interpreter(model);
      interpreter.allocate();
      assert.equal(constant(text, 'kPlannedArenaBytes'), interpreter.arenaUsedBytes);
      assert.equal(constant(text, 'kArenaMarginBytes'), tflmArenaMargin(model));
      assert.equal(constant(text, 'kTensorArenaSize'), interpreter.arenaUsedBytes + tflmArenaMargin(model));
      assert.equal(project.tensorArenaSize, constant(text, 'kTensorArenaSize'));
      assert.ok(Object.keys(project.files).includes(`${c.name}/${c.name}.ino`), 'an Arduino sketch for an Arduino board');
      assert.match(project.files[`${c.name}/${c.name}_data.c`], new RegExp(`TINYML_ALIGNAS\\(16\\) const unsigned char ${c.name}_tflite\\[\\] = \\{`));
    });
  }

  it('the arena covers TFLM\'s arena_used_bytes for every golden model TFLM can run', function () {
    const goldens = fs.readdirSync(path.join(SHARED, 'golden')).filter((f) => f.endsWith('.json'));
    let checked = 0;
    for (const file of goldens) {
      const golden = JSON.parse(fs.readFileSync(path.join(SHARED, 'golden', file), 'utf8')) as { model?: string; arena_used_bytes_x86_64?: number | null };
      if (golden.model === undefined || golden.arena_used_bytes_x86_64 == null) continue;
      const bytes = new Uint8Array(fs.readFileSync(path.join(SHARED, golden.model)));
      const project = tflmProject(loadModel(bytes), bytes);
      assert.ok(project.tensorArenaSize >= golden.arena_used_bytes_x86_64, `${file}: ${project.tensorArenaSize} < TFLM ${golden.arena_used_bytes_x86_64}`);
      checked++;
    }
    assert.ok(checked >= 15, `${checked} goldens`);
  });

  it('refuses an 8-bit board, and a model whose arena cannot be planned (ethos-u), naming them', function () {
    const { bytes, model } = load(CASES[0].file);
    assert.throws(() => tflmProject(model, bytes, { board: findBoard('uno') }), (err: unknown) =>
      err instanceof TflmExportError && /Arduino Uno \(ATmega328P\) is an 8-bit AVR: TFLM needs a 32-bit core/.test(err.message));
    const vela = load('models/person_detect_vela.tflite');
    assert.throws(() => tflmProject(vela.model, vela.bytes), /cannot plan the arena: .*ethos-u/);
    // An op no Add*() registers, named with its place before anything is generated.
    const ops = model.subgraphs[0].operators;
    ops[1] = { ...ops[1], op: 'CUSTOM', builtinCode: 32, customCode: 'MyOp' };
    assert.throws(() => tflmProject(model, bytes), /^TflmExportError: subgraph 0, operator 1 \(CUSTOM:MyOp\): TFLM's MicroMutableOpResolver has no Add\*\(\) for this op$/);
  });

  it('writes main.cpp on stdio for a board without an Arduino core', function () {
    const { bytes, model } = load(CASES[0].file);
    const project = tflmProject(model, bytes, { name: 'hello', board: findBoard('qemu-mps2-an385') });
    assert.deepEqual(Object.keys(project.files).sort(), ['hello/README.md', 'hello/hello_data.c', 'hello/hello_data.h', 'hello/main.cpp']);
    assert.match(project.files['hello/main.cpp'], /^int main\(\) \{$/m);
  });

  describe('g++ -Wall -Wextra -Werror against stand-in headers', function () {
    let dir = '';
    before(async function () {
      if (!(await toolExists('g++')) || !(await toolExists('gcc'))) this.skip();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-tflm-'));
      writeFakeHeaders(path.join(dir, 'include'));
    });
    after(function () {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    for (const c of CASES) {
      for (const boardId of ['nano33ble', 'qemu-mps2-an385']) {
        it(`${c.name} for ${boardId} compiles`, async function () {
          const { bytes, model } = load(c.file);
          const project = tflmProject(model, bytes, { name: c.name, board: findBoard(boardId) });
          const out = path.join(dir, boardId);
          for (const [file, text] of Object.entries(project.files)) {
            fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
            fs.writeFileSync(path.join(out, file), text);
          }
          const sketch = Object.keys(project.files).find((f) => /\.(ino|cpp)$/.test(f)) ?? '';
          const strict = ['-fsyntax-only', '-Wall', '-Wextra', '-Werror'];
          // Compiled to an object (not only parsed) so unused-function warnings surface too.
          await runTool('g++', ['-c', '-o', os.devNull, '-O1', ...strict.slice(1), '-std=c++17', '-x', 'c++', '-I', path.join(dir, 'include'), path.join(out, sketch)]);
          await runTool('gcc', [...strict, '-std=c11', path.join(out, c.name, `${c.name}_data.c`)]);
        });
      }
    }
  });
});

/** Just enough of Arduino.h and TFLM's headers for the sketch's calls to type-check. */
function writeFakeHeaders(root: string): void {
  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('Arduino.h', [
    '#pragma once',
    'struct FakeSerial {',
    '  void begin(unsigned long);',
    '  explicit operator bool() const;',
    '  int available();',
    '  int read();',
    '  void print(const char*);',
    '  void print(long);',
    '  void print(double, int);',
    '};',
    'extern FakeSerial Serial;',
  ].join('\n'));
  write('TensorFlowLite.h', '#pragma once\n');
  write('tensorflow/lite/schema/schema_generated.h', '#pragma once\n#define TFLITE_SCHEMA_VERSION (3)\n');
  const methods = [...new Set(SPEC.ops.map((o) => o.resolver_method))];
  write('tensorflow/lite/micro/micro_mutable_op_resolver.h', [
    '#pragma once',
    'typedef enum { kTfLiteOk = 0, kTfLiteError = 1 } TfLiteStatus;',
    'namespace tflite {',
    'class MicroOpResolver {};',
    'template <unsigned int tOpCount>',
    'class MicroMutableOpResolver : public MicroOpResolver {',
    ' public:',
    '  static_assert(tOpCount > 0, "at least one op");',
    ...methods.map((m) => `  TfLiteStatus ${m}();`),
    '};',
    '}  // namespace tflite',
  ].join('\n'));
  write('tensorflow/lite/micro/micro_interpreter.h', [
    '#pragma once',
    '#include <cstddef>',
    '#include <cstdint>',
    '#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"',
    'typedef union { int32_t* i32; int64_t* i64; float* f; uint8_t* uint8; bool* b; int16_t* i16; int8_t* int8; } TfLitePtrUnion;',
    'typedef struct { TfLitePtrUnion data; } TfLiteTensor;',
    'namespace tflite {',
    'struct Model { uint32_t version() const; };',
    'const Model* GetModel(const void* buffer);',
    'class MicroInterpreter {',
    ' public:',
    '  MicroInterpreter(const Model* model, const MicroOpResolver& resolver, uint8_t* arena, size_t arena_size);',
    '  TfLiteStatus AllocateTensors();',
    '  TfLiteStatus Invoke();',
    '  TfLiteTensor* input(size_t index);',
    '  TfLiteTensor* output(size_t index);',
    '  size_t arena_used_bytes() const;',
    '};',
    '}  // namespace tflite',
  ].join('\n'));
}

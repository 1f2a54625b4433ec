// npm run bench (invoke part): for every reference model (bench/cases.ts), our load, allocate
// and invoke times, MACs/s, arena and heap, TFLM's recorded figures, and the peers run in this
// same process on the same inputs: TFLite in WASM (@tensorflow/tfjs-tflite), LiteRT.js
// (@litertjs/core) and TensorFlow.js' CPU backend (through a bench-only translator). Every
// runtime's output is compared with TFLM's before its time is shown. Prints one table per
// model and a summary; writes bench/results/models.json. Run with node --expose-gc for the
// heap column.
import os from 'node:os';
import path from 'node:path';
import { inspect } from '../lib/inspect/index.js';
import { Interpreter } from '../lib/interpreter/interpreter.js';
import { loadModel } from '../lib/model/read.js';
import type { Model } from '../lib/model/types.js';
import { withProgress } from '../lib/cli/progress.js';
import { REPO_ROOT } from '../test/support/paths.js';
import { decodeValues, maxAbsDiff, outputTensors, referenceCases, type ModelCase } from './cases.js';
import { loadLiteRtInvokePeer } from './litert.js';
import { errorText, type Peer, type PeerRun, type UnavailablePeer } from './peer.js';
import { modelTable, refusalLines, summaryTable, type Check, type OursResult, type PeerResult, type Refused, type Row } from './invoke-report.js';
import { describeRuntimes, resultsHeader, runMain, writeResults } from './results.js';
import { loadTfjsCpuPeer } from './tfjs-cpu.js';
import { loadTfliteWasmPeer } from './tflite-wasm.js';
import { time, type Timing, type TimingPolicy } from './timing.js';

const RESULTS_FILE = path.join(REPO_ROOT, 'bench', 'results', 'models.json');
/** Ours: at least 200 runs on every model. */
const INVOKE_POLICY: TimingPolicy = { warmupRuns: 20, minRuns: 200, maxRuns: 2000, budgetMs: 250 };
/** Peers: at least 200 runs too, but only 30 where a run takes over 10 ms. */
const PEER_POLICY: TimingPolicy = { ...INVOKE_POLICY, slowMs: 10, slowMinRuns: 30 };
const LOAD_POLICY: TimingPolicy = { warmupRuns: 3, minRuns: 10, maxRuns: 500, budgetMs: 60, slowMs: 20, slowMinRuns: 5 };
/** Largest output difference from TFLM that still counts as the same answer (see footnotes). */
const INTEGER_TOLERANCE_LSB = 4;
const FLOAT_TOLERANCE = 1e-3;

const gc = (globalThis as { gc?: () => void }).gc;

function memory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** A full GC, then a turn of the event loop (ArrayBuffer stores are freed after it), then another. */
async function settledMemory(): Promise<number> {
  gc?.();
  await new Promise((resolve) => setImmediate(resolve));
  gc?.();
  return memory();
}

function check(actual: number[][], modelCase: ModelCase, model: Model): Check {
  if (modelCase.expected === null) return { maxAbsDiff: null, matches: true };
  const outputs = outputTensors(model);
  const expected = modelCase.expected.map((bytes, k) => decodeValues(outputs[k].dtype, bytes));
  const diff = maxAbsDiff(actual, expected);
  const integer = outputs.every((t) => t.dtype !== 'float32');
  const scale = Math.max(1, ...expected.flat().map(Math.abs));
  return { maxAbsDiff: diff, matches: integer ? diff <= INTEGER_TOLERANCE_LSB : diff <= FLOAT_TOLERANCE * scale };
}

/**
 * What loadModel + allocate() keep alive. Measured for every model before anything else runs,
 * so no peer's garbage or deferred frees fall between the two readings.
 */
async function heapOf(modelCase: ModelCase): Promise<number | null> {
  if (gc === undefined) return null;
  try {
    const before = await settledMemory();
    const interpreter = new Interpreter(loadModel(modelCase.bytes));
    interpreter.allocate();
    const after = await settledMemory();
    // Reading the interpreter after the second reading keeps it alive through it.
    return interpreter.arenaUsedBytes >= 0 ? after - before : null;
  } catch {
    return null;
  }
}

async function measureOurs(modelCase: ModelCase, model: Model, heapBytes: number | null): Promise<OursResult> {
  const interpreter = new Interpreter(model);
  interpreter.allocate();

  const loadMs = (await time(() => loadModel(modelCase.bytes), LOAD_POLICY)).medianMs;
  const allocateMs = (await time(() => new Interpreter(model).allocate(), LOAD_POLICY)).medianMs;

  modelCase.inputs.forEach((bytes, i) => {
    const tensor = interpreter.input(i);
    if (tensor.byteLength !== bytes.byteLength) throw new Error(`input ${i} holds ${tensor.byteLength} bytes, the case has ${bytes.byteLength}`);
    new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.byteLength).set(bytes);
  });
  interpreter.invoke();
  const outputs = Array.from({ length: interpreter.outputCount }, (_, k) => Array.from(interpreter.output(k).data, Number));
  const invoke = await time(() => interpreter.invoke(), INVOKE_POLICY);
  return { loadMs, allocateMs, invoke, arenaBytes: interpreter.arenaUsedBytes, heapBytes, ...check(outputs, modelCase, model) };
}

function disposeQuietly(run: PeerRun): void {
  try {
    run.dispose();
  } catch {
    // The run already failed; that error is the one to report.
  }
}

async function measurePeer(peer: Peer, modelCase: ModelCase, model: Model): Promise<PeerResult | Refused> {
  try {
    const peerModel = peer.prepare(modelCase);
    const run = await peerModel.open();
    let invoke: Timing;
    let result: Check;
    try {
      await run.invoke();
      result = check(run.outputs(), modelCase, model);
      invoke = await time(() => run.invoke(), PEER_POLICY);
    } catch (err) {
      disposeQuietly(run);
      throw err;
    }
    try {
      run.dispose();
    } catch (err) {
      return { loadMs: NaN, invoke, ...result, note: `its runs completed, then freeing the model failed (so no load time): ${errorText(err)}` };
    }
    const loadMs = (await time(() => peerModel.loadOnce(), LOAD_POLICY)).medianMs;
    return { loadMs, invoke, ...result };
  } catch (err) {
    return { refused: errorText(err) };
  }
}

async function measure(modelCase: ModelCase, peers: readonly Peer[], heapBytes: number | null): Promise<Row> {
  let model: Model | null = null;
  let loadError = '';
  try {
    model = loadModel(modelCase.bytes);
  } catch (err) {
    loadError = errorText(err);
  }
  const report = model ? inspect(model) : null;
  const row: Row = {
    name: modelCase.name,
    file: modelCase.file,
    inputsFrom: modelCase.inputsFrom,
    bytes: modelCase.bytes.byteLength,
    operators: model?.subgraphs.reduce((n, s) => n + s.operators.length, 0) ?? 0,
    macs: report?.macs.total || null,
    outputDtype: model ? outputTensors(model).map((t) => t.dtype).join(',') : '?',
    tflm: { invokeUs: modelCase.tflmInvokeUs, arenaBytes: modelCase.tflmArenaBytes },
    ours: { refused: loadError },
    peers: {},
  };
  if (model === null) return row;
  try {
    row.ours = await measureOurs(modelCase, model, heapBytes);
  } catch (err) {
    row.ours = { refused: errorText(err) };
  }
  for (const peer of peers) row.peers[peer.id] = await measurePeer(peer, modelCase, model);
  return row;
}

async function main(): Promise<void> {
  const started = Date.now();
  const cases = referenceCases();
  const candidates: (Peer | UnavailablePeer)[] = [await loadTfliteWasmPeer(), await loadLiteRtInvokePeer(), await loadTfjsCpuPeer()];
  const peers = candidates.filter((p): p is Peer => !('unavailable' in p));
  const peerIds = peers.map((p) => p.id);

  const heap = await withProgress('heap', cases, (c) => c.name, heapOf);
  const rows = await withProgress('invoke', cases, (c) => c.name, (c, i) => measure(c, peers, heap[i]));
  const seconds = (Date.now() - started) / 1000;

  const out: string[] = [];
  for (const row of rows) out.push(modelTable(row, peerIds), '');
  out.push('Summary (ours÷X = our median invoke time over X\'s: below 1 means ours is faster; ? = X\'s output did not match TFLM\'s)',
    summaryTable(rows, peerIds), '');
  const refusals = refusalLines(rows, peerIds);
  if (refusals.length) out.push('Refused:', ...refusals, '');
  out.push(
    'Columns: load = our loadModel(bytes) (read + validate), peers: their own load/compile; alloc = new Interpreter(model) + allocate()',
    '  (kernel resolution, prepare, arena plan); med/p90 = invoke() over the runs after warm-up; MAC/s = lib/inspect MACs / median;',
    '  arena = our arenaUsedBytes, and TFLM\'s arena_used_bytes_x86_64 from the goldens (it includes TFLM\'s own bookkeeping);',
    '  heap = growth of V8 heapUsed + arrayBuffers from before loadModel to after allocate(), each after a full GC (ours only:',
    '  the WASM peers keep their memory in a linear memory that only grows); max|Δ| = largest difference of the output from',
    '  TFLM\'s golden output for the same inputs, in LSBs for integer outputs. DIFFERS (and ? on the ratio) past',
    `  ${INTEGER_TOLERANCE_LSB} LSB or ${FLOAT_TOLERANCE} relative: the time is then not a like-for-like comparison.`,
    `TFLM (recorded): the goldens' invoke_us_median, TFLM's reference kernels built natively for x86-64 (median of 5, another machine`,
    '  and time: indicative only). Keras models have no recorded TFLM time.',
    'tfjs-cpu runs int8 models on dequantized float32 weights (bench/tfjs-translate.ts), so its outputs differ from TFLM\'s integer',
    '  results by a few LSBs by construction; it cannot express SVDF or UNIDIRECTIONAL_SEQUENCE_LSTM (those rows say refused).',
    'Peers:',
    ...candidates.map((p) => `  ${p.id}: ${p.description}${'unavailable' in p ? ` -- not run: ${p.unavailable}` : ` [${p.version}]`}`),
    `Timing: ours ${INVOKE_POLICY.warmupRuns} warm-up runs then >= ${INVOKE_POLICY.minRuns} runs (more within ${INVOKE_POLICY.budgetMs} ms);`
      + ` peers the same, or >= ${PEER_POLICY.slowMinRuns} runs when a run takes over ${PEER_POLICY.slowMs} ms. All in one process, one thread.`,
    `${rows.length} models in ${seconds.toFixed(0)} s; ${new Date().toISOString()}; node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}`
      + ` (${os.cpus().length} cores, shared: expect noise; compare figures within one run).`,
  );
  process.stdout.write(`${out.join('\n')}\n`);

  writeResults(RESULTS_FILE, {
    ...resultsHeader('invoke'),
    policy: { ours: INVOKE_POLICY, peers: PEER_POLICY, load: LOAD_POLICY },
    tolerance: { integerLsb: INTEGER_TOLERANCE_LSB, floatRelative: FLOAT_TOLERANCE },
    peers: describeRuntimes(candidates),
    models: rows,
  });
}

runMain(main);

// inspect(model): everything a user asks before putting a model on a microcontroller (ops,
// sizes, I/O, MACs, whether TFLM can run it), as plain JSON data.
import { fits } from '../deploy/boards/fits.js';
import type { BoardProfile } from '../deploy/boards/profile.js';
import type { Model, Operator, Subgraph, Tensor } from '../model/types.js';
import { planArena } from './arena.js';
import { estimateMacs } from './macs.js';
import type {
  InspectReport, OperandInfo, OperatorRow, SignatureInfo, SubgraphIo, TflmSummary,
} from './report.js';
import { ioTensor, parameterSummary, subgraphTensors } from './tensors.js';
import { checkTflmSupport, operatorName } from './tflm-support.js';
import { TFLM_OPS_SOURCE } from './tflm-ops.js';

export type * from './report.js';
export { formatInspectReport } from './format.js';

export interface InspectOptions {
  /** Size of the .tflite file in bytes: reported as the model's flash size. */
  byteLength?: number;
  /** Arena bytes when the caller has planned the model already; otherwise inspect() plans it. */
  arenaBytes?: number;
  /** Check the model and our runtime against this board's flash and RAM (report.board). */
  board?: BoardProfile;
}

function operand(tensors: readonly Tensor[], index: number): OperandInfo {
  const tensor = index >= 0 ? tensors[index] : undefined;
  return { tensor: index, shape: tensor ? [...tensor.shape] : null, dtype: tensor?.dtype ?? null };
}

function operatorRow(subgraph: Subgraph, subgraphIndex: number, op: Operator, index: number): OperatorRow {
  const macs = estimateMacs(op, subgraph.tensors);
  return {
    subgraph: subgraphIndex,
    index,
    op: operatorName(op),
    version: op.version,
    inputs: op.inputs.map((i) => operand(subgraph.tensors, i)),
    outputs: op.outputs.map((i) => operand(subgraph.tensors, i)),
    macs: macs.macs,
    macsEstimated: macs.estimated,
    macsFormula: macs.formula,
    tflm: checkTflmSupport(op, subgraph.tensors),
  };
}

/** Where an operator sits, short enough to list many: '3' in a one-subgraph model, else '1:3'. */
function location(row: OperatorRow, subgraphs: number): string {
  return subgraphs > 1 ? `${row.subgraph}:${row.index}` : `${row.index}`;
}

function tflmSummary(rows: readonly OperatorRow[], subgraphs: number): TflmSummary {
  const byProblem = new Map<string, string[]>();
  const caveats = new Map<string, string>();
  for (const row of rows) {
    const { problem, confidence, notes } = row.tflm;
    if (problem !== null) {
      const where = byProblem.get(problem) ?? [];
      where.push(location(row, subgraphs));
      byProblem.set(problem, where);
      continue;
    }
    if (confidence === 'likely' || confidence === 'uncertain') {
      caveats.set(row.op, `${row.op}: TFLM input types are '${confidence}' in tflm_ops.json${notes ? ` (${notes})` : ''}`);
    }
  }
  const problems = [...byProblem].map(([problem, where]) =>
    `${problem} (operator${where.length > 1 ? 's' : ''} ${where.join(', ')})`);
  return {
    supported: problems.length === 0,
    problems,
    caveats: [...caveats.values()],
    commit: TFLM_OPS_SOURCE.commit,
  };
}

function textOf(bytes: Uint8Array | undefined): string | null {
  if (bytes === undefined) return null;
  // Stored as a NUL-padded C string (e.g. "1.14.0\0\0...").
  return new TextDecoder().decode(bytes).replace(/\0+$/, '');
}

export function inspect(model: Model, options: InspectOptions = {}): InspectReport {
  const operators = model.subgraphs.flatMap((subgraph, s) =>
    subgraph.operators.map((op, i) => operatorRow(subgraph, s, op, i)));

  const histogram: Record<string, number> = {};
  for (const row of operators) histogram[row.op] = (histogram[row.op] ?? 0) + 1;

  const io: SubgraphIo[] = model.subgraphs.map((subgraph, s) => ({
    subgraph: s,
    name: subgraph.name,
    inputs: subgraph.inputs.map((i) => ioTensor(subgraph.tensors, i)),
    outputs: subgraph.outputs.map((i) => ioTensor(subgraph.tensors, i)),
  }));

  const signatureDefs: SignatureInfo[] = model.signatureDefs.map((sig) => {
    const tensors = model.subgraphs[sig.subgraphIndex]?.tensors ?? [];
    return {
      key: sig.signatureKey,
      subgraph: sig.subgraphIndex,
      inputs: sig.inputs.map((t) => ioTensor(tensors, t.tensorIndex, t.name)),
      outputs: sig.outputs.map((t) => ioTensor(tensors, t.tensorIndex, t.name)),
    };
  });

  const arena = options.arenaBytes !== undefined ? { bytes: options.arenaBytes, note: null } : planArena(model);
  const notEstimated = [...new Set(operators.filter((r) => !r.macsEstimated).map((r) => r.op))];

  return {
    model: {
      description: model.description,
      schemaVersion: model.version,
      subgraphs: model.subgraphs.length,
      flashBytes: options.byteLength ?? null,
      arenaBytes: arena.bytes,
      arenaNote: arena.note,
      metadataNames: Object.keys(model.metadata),
      minRuntimeVersion: textOf(model.metadata['min_runtime_version']),
    },
    ops: { histogram, operators },
    tensors: model.subgraphs.map(subgraphTensors),
    parameters: parameterSummary(model.subgraphs),
    io,
    signatureDefs,
    macs: { total: operators.reduce((sum, r) => sum + r.macs, 0), notEstimated },
    tflm: tflmSummary(operators, model.subgraphs.length),
    ...(options.board === undefined ? {} : {
      board: fits(model, options.board, { modelBytes: options.byteLength, arenaBytes: arena.bytes }),
    }),
  };
}

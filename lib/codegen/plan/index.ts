// `tinyml_plan`: everything the C runtime needs that follows from the model alone (arena layout,
// per-operator kernel ids and integer parameters), stored as model metadata so the device has
// no planner, no Prepare and no floating point. docs/tinyml-plan.md describes the format.
import { byteLengthOf, elementCount } from '../../model/dtype.js';
import type { Model, Subgraph } from '../../model/types.js';
import { Interpreter } from '../../interpreter/interpreter.js';
import { withOfflinePlan } from '../../interpreter/offline-plan.js';
import { decodePlan, encodePlan, NO_OFFSET, TINYML_PLAN, TinymlPlanError, type TinymlPlan } from './format.js';
import { planOperator } from './operators.js';

export { TINYML_PLAN, TinymlPlanError, decodePlan, encodePlan, type TinymlPlan, type PlanOperator } from './format.js';
export { C_KERNELS, kernelById, type CKernel, type CKernelName } from './kernel-ids.js';
export { PLAN_BUILDERS } from './operators.js';

const MAIN = 0;
const SCRATCH_ALIGNMENT = 16;

/**
 * Operators whose results only ever feed RESHAPE's shape input (SHAPE -> STRIDED_SLICE -> PACK
 * chains that Keras emits): the C RESHAPE copies bytes and never reads that input, so these
 * need no kernel on the device.
 */
function shapeOnlyOperators(subgraph: Subgraph): Set<number> {
  const skipped = new Set<number>();
  for (let i = subgraph.operators.length - 1; i >= 0; i--) {
    const produced = subgraph.operators[i].outputs;
    const onlyShapes = produced.every((t) => !subgraph.outputs.includes(t) && subgraph.operators.every((op, j) =>
      !op.inputs.includes(t) || skipped.has(j) || (op.op === 'RESHAPE' && op.inputs.indexOf(t) === 1 && op.inputs.lastIndexOf(t) === 1)));
    if (produced.length > 0 && onlyShapes && subgraph.operators.some((op, j) => j > i && (op.op === 'RESHAPE' || skipped.has(j)) && op.inputs.some((t) => produced.includes(t)))) skipped.add(i);
  }
  return skipped;
}

/** The plan for a model, without storing it. Throws TinymlPlanError for what the C runtime cannot run. */
export function buildTinymlPlan(model: Model): Omit<TinymlPlan, 'version'> {
  if (model.subgraphs.length === 0) throw new TinymlPlanError('the model has no subgraph');
  const subgraph = model.subgraphs[MAIN];
  const skipped = shapeOnlyOperators(subgraph);
  const operators = subgraph.operators.flatMap((_, i) => (skipped.has(i) ? [] : [planOperator(model, subgraph, i)]));
  const interpreter = new Interpreter(model);
  interpreter.allocate();
  const arena = interpreter.arenaOffsets(MAIN);
  const sizes = subgraph.tensors.map((t) => byteLengthOf(t.dtype, elementCount(t.shape)));
  const offsets = subgraph.tensors.map((t, i) => ((t.data !== null && !t.isVariable) || arena[i] === undefined || arena[i] < 0 ? NO_OFFSET : arena[i]));
  const tensorsEnd = offsets.reduce((end, offset, i) => (offset === NO_OFFSET ? end : Math.max(end, offset + sizes[i])), 0);
  // Kernel state (spectral subtraction noise estimates): one region per operator after the
  // tensors; the device zeroes everything past the last tensor on tm_init/tm_reset.
  let stateEnd = tensorsEnd;
  for (const op of operators) {
    if (op.persistentParam === undefined || op.persistentBytes === undefined) continue;
    const at = Math.ceil(stateEnd / SCRATCH_ALIGNMENT) * SCRATCH_ALIGNMENT;
    op.params[op.persistentParam] = at;
    stateEnd = at + op.persistentBytes;
  }
  // Kernel scratch (LSTM gate buffers, FFT work): one region after the state, shared since ops run in turn.
  const scratchOffset = Math.ceil(stateEnd / SCRATCH_ALIGNMENT) * SCRATCH_ALIGNMENT;
  const scratch = Math.max(0, ...operators.map((op) => op.scratchBytes ?? 0));
  for (const op of operators) if (op.scratchParam !== undefined) op.params[op.scratchParam] = scratchOffset;
  const arenaSize = scratch > 0 ? scratchOffset + scratch : stateEnd;
  // ResetVariableTensors: int8 state starts at its zero point, everything else at 0.
  const variables = subgraph.tensors.flatMap((t, tensor) => (t.isVariable && offsets[tensor] !== NO_OFFSET
    ? [{ tensor, fill: t.dtype === 'int8' ? (t.quantization?.zeroPoint[0] ?? 0) & 0xff : 0 }] : []));
  return { arenaSize, subgraph: MAIN, inputs: subgraph.inputs, outputs: subgraph.outputs, offsets, sizes, variables, operators };
}

/**
 * The model with a `tinyml_plan` (and the matching OfflineMemoryAllocation, so TFLM places the
 * tensors where the C runtime does). Both replace earlier entries; the model stays valid for
 * TFLM and for our interpreter.
 */
export function withTinymlPlan(model: Model): Model {
  const { [TINYML_PLAN]: _previous, ...metadata } = model.metadata;
  const planned = withOfflinePlan({ ...model, metadata });
  const plan = encodePlan(buildTinymlPlan(planned));
  return { ...planned, metadata: { ...planned.metadata, [TINYML_PLAN]: plan } };
}

/** The model's plan, checked; TinymlPlanError names what is missing or corrupt. */
export function readTinymlPlan(model: Model): TinymlPlan {
  const bytes = model.metadata[TINYML_PLAN];
  if (bytes === undefined) throw new TinymlPlanError(`the model has no ${TINYML_PLAN} metadata; generate it with withTinymlPlan`);
  const plan = decodePlan(bytes);
  const tensorCount = model.subgraphs[plan.subgraph]?.tensors.length;
  if (tensorCount !== plan.offsets.length) {
    throw new TinymlPlanError(`${TINYML_PLAN}: ${plan.offsets.length} tensors, the model's subgraph ${plan.subgraph} has ${tensorCount ?? 'none'}`);
  }
  return plan;
}

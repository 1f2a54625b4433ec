// When each arena buffer must hold its value, in allocation scopes, as TFLM's
// AllocationInfoBuilder marks them: subgraph 0's inputs and outputs are created at scope 0, every
// operator opens a new scope, and a control-flow operator (IF, WHILE, CALL_ONCE) marks the
// subgraphs it calls in fresh scopes before its own inputs are last used, so their tensors never
// share memory with anything alive across the call (MarkSubgraphLifetimesIfNecessary). Variable
// tensors, persistent in TFLM, live for the whole run. Subgraphs no operator calls get no memory.
import type { Model, Operator } from '../model/types.js';
import { CallOnceOptionsT, IfOptionsT, WhileOptionsT } from '../model/schema/tflite.js';
import { InterpreterError } from './errors.js';

export interface Lifetime {
  first: number;
  last: number;
}

export interface ScratchOwner {
  subgraphIndex: number;
  operatorIndex: number;
  /** Kept across invokes (TFLM's AllocatePersistentBuffer): alive for the whole run, like variables. */
  persistent?: boolean;
}

export interface GraphLifetimes {
  /** Per subgraph, per tensor: its lifetime, or null when it needs no arena memory. */
  tensors: Array<Array<Lifetime | null>>;
  /** Per scratch request in request order; null for an operator that never runs. */
  scratch: Array<Lifetime | null>;
  /** Whether each subgraph runs (subgraph 0, and every subgraph an operator calls). */
  reached: boolean[];
}

/** The subgraphs an operator invokes, in the order TFLM marks them (then/else, cond/body, init). */
export function calledSubgraphs(operator: Operator): number[] {
  const options = operator.builtinOptions;
  if (operator.op === 'IF' && options instanceof IfOptionsT) return [options.thenSubgraphIndex, options.elseSubgraphIndex];
  if (operator.op === 'WHILE' && options instanceof WhileOptionsT) return [options.condSubgraphIndex, options.bodySubgraphIndex];
  if (operator.op === 'CALL_ONCE' && options instanceof CallOnceOptionsT) return [options.initSubgraphIndex];
  return [];
}

function hull(into: Lifetime | null, add: Lifetime): Lifetime {
  return into === null ? { ...add } : { first: Math.min(into.first, add.first), last: Math.max(into.last, add.last) };
}

/**
 * Lifetimes of every tensor for which needsMemory(subgraph, tensor) holds, and of every scratch
 * request. A subgraph called from several operators gets the hull of its calls.
 */
export function graphLifetimes(
  model: Model,
  needsMemory: (subgraphIndex: number, tensorIndex: number) => boolean,
  scratch: readonly ScratchOwner[],
): GraphLifetimes {
  const tensors = model.subgraphs.map((s) => new Array<Lifetime | null>(s.tensors.length).fill(null));
  const scratchLifetimes = new Array<Lifetime | null>(scratch.length).fill(null);
  const reached = model.subgraphs.map(() => false);
  let scope = 0;

  const mark = (subgraphIndex: number, callers: readonly number[]): void => {
    const subgraph = model.subgraphs[subgraphIndex];
    if (callers.includes(subgraphIndex)) {
      const chain = [...callers, subgraphIndex].map((s) => `subgraph ${s}`).join(' -> ');
      throw new InterpreterError(`${chain}: a subgraph may not call itself`);
    }
    reached[subgraphIndex] = true;
    const visit = new Map<number, Lifetime>();
    // TFLM's UpdateFirstCreated: a later creation in the same call replaces the earlier one.
    const create = (t: number): void => {
      if (t >= 0 && needsMemory(subgraphIndex, t)) visit.set(t, { first: scope, last: scope });
    };
    const use = (t: number): void => {
      if (t < 0 || !needsMemory(subgraphIndex, t)) return;
      const lifetime = visit.get(t);
      if (lifetime === undefined) visit.set(t, { first: scope, last: scope });
      else lifetime.last = scope;
    };
    subgraph.inputs.forEach(create);
    subgraph.outputs.forEach(create);
    subgraph.operators.forEach((operator, operatorIndex) => {
      scope++;
      operator.outputs.forEach(create);
      const start = scope;
      for (const callee of calledSubgraphs(operator)) {
        if (model.subgraphs[callee] === undefined) {
          throw new InterpreterError(`subgraph ${subgraphIndex}, operator ${operatorIndex} (${operator.op}): calls subgraph ${callee}, the model has ${model.subgraphs.length}`);
        }
        scope++;
        mark(callee, [...callers, subgraphIndex]);
      }
      operator.inputs.forEach(use);
      operator.outputs.forEach(use);
      scratch.forEach((owner, i) => {
        if (owner.subgraphIndex === subgraphIndex && owner.operatorIndex === operatorIndex) {
          scratchLifetimes[i] = hull(scratchLifetimes[i], { first: start, last: scope });
        }
      });
    });
    subgraph.outputs.forEach(use);
    for (const [t, lifetime] of visit) tensors[subgraphIndex][t] = hull(tensors[subgraphIndex][t], lifetime);
  };

  if (model.subgraphs.length > 0) mark(0, []);
  model.subgraphs.forEach((subgraph, s) => {
    if (!reached[s]) return;
    subgraph.tensors.forEach((tensor, t) => {
      if (tensor.isVariable && needsMemory(s, t)) tensors[s][t] = { first: 0, last: scope };
    });
  });
  scratch.forEach((owner, i) => {
    if (owner.persistent === true && reached[owner.subgraphIndex]) scratchLifetimes[i] = { first: 0, last: scope };
  });
  return { tensors, scratch: scratchLifetimes, reached };
}

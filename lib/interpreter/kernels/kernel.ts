// The contract between the interpreter and one op's kernel, after TFLM's TFLMRegistration:
// prepare() does every model-dependent computation once and returns the invoke step, which
// reads tensor views bound later by allocate() and only loops.
import type { Operator } from '../../model/types.js';
import type { ResourceVariables } from '../resource-variables.js';
import type { RuntimeTensor } from '../tensor.js';

/** Arena memory a kernel reserved: scratch (valid only while its operator runs) or persistent. */
export interface ScratchBuffer {
  readonly byteLength: number;
  /** Bound by allocate(); empty before. */
  bytes: Uint8Array;
}

/** The model's subgraphs as a control-flow kernel (IF, WHILE, CALL_ONCE) sees them: TFLM's MicroGraph. */
export interface SubgraphAccess {
  readonly subgraphCount: number;
  inputs(subgraphIndex: number): readonly RuntimeTensor[];
  outputs(subgraphIndex: number): readonly RuntimeTensor[];
  /** Runs the operators of the subgraph in order, stopping after one that aborts (as MicroGraph::InvokeSubgraph). */
  invoke(subgraphIndex: number): InvokeStatus;
  /** The interpreter's resource variables (VAR_HANDLE, ASSIGN_VARIABLE, READ_VARIABLE). */
  readonly resourceVariables: ResourceVariables;
}

export interface PrepareContext {
  readonly subgraphIndex: number;
  readonly operatorIndex: number;
  readonly operator: Operator;
  /** The operator's inputs in order; null for an absent optional input (-1). */
  readonly inputs: ReadonlyArray<RuntimeTensor | null>;
  readonly outputs: readonly RuntimeTensor[];
  /** Reserve arena scratch for this operator (TFLM's RequestScratchBufferInArena). */
  requestScratch(byteLength: number): ScratchBuffer;
  /** Reserve arena memory that keeps its contents across invokes (TFLM's AllocatePersistentBuffer). */
  requestPersistent(byteLength: number): ScratchBuffer;
  /** The other subgraphs, for control-flow kernels; the interpreter always provides it. */
  readonly graph?: SubgraphAccess;
  /** An Error that says which operator failed: `subgraph 0, operator 3 (FULLY_CONNECTED): ...`. */
  error(detail: string): Error;
}

/**
 * TFLM's kTfLiteAbort, returned by an invoke step (CIRCULAR_BUFFER between its runs): the
 * operators after it do not run, and the invoke reports it, as MicroInterpreter::Invoke returns it.
 */
export const ABORTED = 'aborted';
export type InvokeStatus = 'ok' | typeof ABORTED;

/** The invoke step of one prepared operator. */
export interface PreparedOp {
  /** Returns ABORTED to end the current invoke early; nothing (or 'ok') otherwise. */
  invoke(): void | InvokeStatus;
  /** Clears state kept across invokes (TFLM's TFLMRegistration.reset); called by Interpreter.reset(). */
  reset?(): void;
}

export interface Kernel {
  /** Whether this kernel handles the operator (dtype combination, version); checked at construction. */
  supports(operator: Operator, inputDtypes: ReadonlyArray<string | null>): boolean;
  prepare(ctx: PrepareContext): PreparedOp;
}

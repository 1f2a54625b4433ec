// The micro-interpreter: TFLM's MicroInterpreter in TypeScript. The constructor resolves a kernel
// for every operator (refusing the model, with every missing op listed, when one is absent);
// allocate() prepares the kernels, plans the arena and binds tensor views; invoke() runs the
// prepared operators in order and allocates nothing.
import { performance } from 'node:perf_hooks';
import { estimateMacs } from '../inspect/macs.js';
import type { Model, Operator, Subgraph } from '../model/types.js';
import { InterpreterError } from './errors.js';
import type { Kernel, PreparedOp, ScratchBuffer } from './kernels/kernel.js';
import { tensorLifetimes } from './lifetimes.js';
import { planMemory, type BufferRequest } from './planner.js';
import { OpResolver } from './resolver.js';
import { RuntimeTensor, typedView, type TensorData } from './tensor.js';

export interface InterpreterOptions {
  /** Arena size to allocate; allocate() fails when the model needs more. Default: exactly what it needs. */
  arenaBytes?: number;
  /** Kernels to use; default: every built-in kernel. */
  opResolver?: OpResolver;
}

export interface OperatorProfile {
  index: number;
  /** The builtin op, or a custom op's code. */
  op: string;
  /** Duration of this operator in the last invoke(), in milliseconds (0 before any invoke). */
  timeMs: number;
  macs: number;
}

const SUBGRAPH = 0;

/** The name a kernel is registered under: the builtin op, or a custom op's code ('SignalRfft'). */
function kernelName(operator: Operator): string {
  return operator.op === 'CUSTOM' ? (operator.customCode ?? 'CUSTOM') : operator.op;
}

interface ScratchRequest {
  /** The operator that uses the buffer; -1 for a persistent buffer, alive during every operator. */
  operatorIndex: number;
  buffer: ScratchBuffer;
}

export class Interpreter {
  private readonly subgraph: Subgraph;
  private readonly tensors: RuntimeTensor[];
  private readonly kernels: Kernel[];
  private readonly options: InterpreterOptions;
  private prepared: PreparedOp[] = [];
  private operatorTimes: Float64Array;
  private usedBytes = 0;
  private arena: ArrayBuffer | null = null;

  constructor(model: Model, options: InterpreterOptions = {}) {
    const subgraph = model.subgraphs[SUBGRAPH];
    if (subgraph === undefined) throw new InterpreterError('the model has no subgraph');
    this.subgraph = subgraph;
    this.options = options;
    this.tensors = subgraph.tensors.map((tensor, i) => new RuntimeTensor(i, tensor));
    const resolver = options.opResolver ?? OpResolver.all();
    const missing: string[] = [];
    this.kernels = [];
    subgraph.operators.forEach((operator, i) => {
      const name = kernelName(operator);
      const dtypes = operator.inputs.map((index) => (index < 0 ? null : this.tensors[index]?.dtype ?? null));
      const kernel = resolver.find(name);
      if (kernel === undefined || !kernel.supports(operator, dtypes)) {
        missing.push(`operator ${i} (${name}, ${dtypes.find((d) => d !== null) ?? 'no inputs'})`);
      } else {
        this.kernels.push(kernel);
      }
    });
    if (missing.length > 0) throw new InterpreterError(`unsupported ops: ${missing.join(', ')}`);
    this.operatorTimes = new Float64Array(subgraph.operators.length);
  }

  /** Prepares every operator, plans the arena and binds every tensor to its memory. */
  allocate(): void {
    if (this.arena !== null) return;
    const scratch: ScratchRequest[] = [];
    const prepared = this.subgraph.operators.map((operator, i) => {
      const where = `subgraph ${SUBGRAPH}, operator ${i} (${kernelName(operator)})`;
      return this.kernels[i].prepare({
        subgraphIndex: SUBGRAPH,
        operatorIndex: i,
        operator,
        inputs: operator.inputs.map((index) => (index < 0 ? null : this.tensors[index] ?? null)),
        outputs: operator.outputs.map((index) => this.tensors[index]),
        requestScratch: (byteLength: number): ScratchBuffer => {
          const buffer: ScratchBuffer = { byteLength, bytes: new Uint8Array(0) };
          scratch.push({ operatorIndex: i, buffer });
          return buffer;
        },
        requestPersistent: (byteLength: number): ScratchBuffer => {
          const buffer: ScratchBuffer = { byteLength, bytes: new Uint8Array(0) };
          scratch.push({ operatorIndex: -1, buffer });
          return buffer;
        },
        error: (detail: string): Error => new InterpreterError(`${where}: ${detail}`),
      });
    });
    const lifetimes = tensorLifetimes(this.subgraph, this.tensors);
    const requests: BufferRequest[] = [
      ...lifetimes.map((l) => ({ size: this.tensors[l.tensorIndex].byteLength, firstUse: l.firstUse, lastUse: l.lastUse })),
      ...scratch.map((s) => (s.operatorIndex < 0
        ? { size: s.buffer.byteLength, firstUse: 0, lastUse: Math.max(0, prepared.length - 1) }
        : { size: s.buffer.byteLength, firstUse: s.operatorIndex, lastUse: s.operatorIndex })),
    ];
    const plan = planMemory(requests);
    const arenaBytes = this.options.arenaBytes ?? plan.usedBytes;
    if (arenaBytes < plan.usedBytes) {
      throw new InterpreterError(`arena too small: ${arenaBytes} bytes given, this model needs ${plan.usedBytes} bytes`);
    }
    const arena = new ArrayBuffer(arenaBytes);
    lifetimes.forEach((l, i) => {
      const tensor = this.tensors[l.tensorIndex];
      tensor.data = typedView(tensor.dtype, arena, plan.offsets[i], tensor.byteLength);
    });
    scratch.forEach((s, i) => {
      s.buffer.bytes = new Uint8Array(arena, plan.offsets[lifetimes.length + i], s.buffer.byteLength);
    });
    this.prepared = prepared;
    this.usedBytes = plan.usedBytes;
    this.arena = arena;
    this.reset();
  }

  /** Arena bytes the plan uses (tensors and scratch); 0 before allocate(). */
  get arenaUsedBytes(): number {
    return this.usedBytes;
  }

  get inputCount(): number {
    return this.subgraph.inputs.length;
  }

  get outputCount(): number {
    return this.subgraph.outputs.length;
  }

  input(i: number): RuntimeTensor {
    return this.ioTensor(this.subgraph.inputs, i, 'input');
  }

  output(i: number): RuntimeTensor {
    return this.ioTensor(this.subgraph.outputs, i, 'output');
  }

  /** Copies values into input i after checking their count and, for a typed array, its type. */
  setInput(i: number, values: ArrayLike<number> | TensorData): void {
    const tensor = this.input(i);
    if (values.length !== tensor.data.length) {
      throw new InterpreterError(`input ${i} (${tensor.name}) has shape [${tensor.shape.join(', ')}] = ${tensor.data.length} elements, got ${values.length}`);
    }
    if (ArrayBuffer.isView(values) && values.constructor !== tensor.data.constructor) {
      throw new InterpreterError(`input ${i} (${tensor.name}) is ${tensor.dtype}, got a ${values.constructor.name}`);
    }
    if (tensor.data instanceof BigInt64Array || tensor.data instanceof BigUint64Array) {
      throw new InterpreterError(`input ${i} (${tensor.name}) is ${tensor.dtype}: write tensor.data directly`);
    }
    tensor.data.set(values as ArrayLike<number>);
  }

  /** Runs every operator once. */
  invoke(): void {
    if (this.arena === null) throw new InterpreterError('invoke() before allocate()');
    const ops = this.prepared;
    const times = this.operatorTimes;
    for (let i = 0; i < ops.length; i++) {
      const start = performance.now();
      ops[i].invoke();
      times[i] = performance.now() - start;
    }
  }

  /**
   * Clears variable tensors as TFLM's ResetVariableTensors does (int8: to the zero point, else 0),
   * and the state kernels keep across invokes, as TFLM's MicroInterpreter::Reset does.
   */
  reset(): void {
    for (const op of this.prepared) op.reset?.();
    for (const tensor of this.tensors) {
      if (!tensor.isVariable) continue;
      const fill = tensor.dtype === 'int8' ? tensor.zeroPoint & 0xff : 0;
      new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength).fill(fill);
    }
  }

  profile(): OperatorProfile[] {
    return this.subgraph.operators.map((operator, index) => ({
      index,
      op: kernelName(operator),
      timeMs: this.operatorTimes[index],
      macs: estimateMacs(operator, this.subgraph.tensors).macs,
    }));
  }

  private ioTensor(indices: readonly number[], i: number, what: string): RuntimeTensor {
    const index = indices[i];
    if (index === undefined) throw new InterpreterError(`no ${what} ${i}: the model has ${indices.length} ${what}s`);
    if (this.arena === null) throw new InterpreterError(`${what}(${i}) before allocate()`);
    return this.tensors[index];
  }
}

// The micro-interpreter: TFLM's MicroInterpreter in TypeScript. The constructor resolves a kernel
// for every operator of every subgraph (refusing the model, with every missing op listed, when one
// is absent); allocate() prepares the kernels, plans the arena for all subgraphs (arena-plan.ts)
// and binds tensor views; invoke() runs subgraph 0's prepared operators in order and allocates
// nothing. Control-flow kernels run the other subgraphs through the SubgraphAccess they are given.
import { performance } from 'node:perf_hooks';
import { estimateMacs } from '../inspect/macs.js';
import type { Model, Operator, Subgraph } from '../model/types.js';
import { planArena, type ScratchRequest } from './arena-plan.js';
import { InterpreterError } from './errors.js';
import { ABORTED, type InvokeStatus, type Kernel, type PreparedOp, type ScratchBuffer, type SubgraphAccess } from './kernels/kernel.js';
import { ResourceVariables } from './resource-variables.js';
import { OpResolver } from './resolver.js';
import { RuntimeTensor, typedView, type TensorData } from './tensor.js';

export interface InterpreterOptions {
  /** Arena size to allocate; allocate() fails when the model needs more. Default: exactly what it needs. */
  arenaBytes?: number;
  /** Kernels to use; default: every built-in kernel. */
  opResolver?: OpResolver;
  /**
   * Give every tensor its own arena bytes for the whole run (TFLite's
   * experimental_preserve_all_tensors), so tensor() reads intermediate values after invoke().
   * Costs arena: arenaUsedBytes is then no longer comparable with TFLM's.
   */
  preserveAllTensors?: boolean;
  /**
   * Time every operator of each invoke() for profile(). Off by default: reading the clock per
   * operator costs time and allocates, and invoke() otherwise allocates nothing.
   */
  profile?: boolean;
}

export interface OperatorProfile {
  index: number;
  op: string;
  /** Duration of this operator in the last invoke(), in milliseconds (0 before any invoke, or without the profile option). */
  timeMs: number;
  macs: number;
}

const MAIN = 0;

/** Why an op no kernel here can run is refused, where there is more to say than its name. */
const UNSUPPORTED_HINTS: Readonly<Record<string, string>> = {
  'ethos-u': 'runs on an Arm Ethos-U NPU; TFLM without the NPU cannot run it either',
};

interface SubgraphRuntime {
  subgraph: Subgraph;
  tensors: RuntimeTensor[];
  kernels: Kernel[];
  prepared: PreparedOp[];
}

/** The name a kernel is registered under: the builtin op, or a custom op's code ('SignalRfft'). */
function kernelName(operator: Operator): string {
  return operator.op === 'CUSTOM' ? (operator.customCode ?? 'CUSTOM') : operator.op;
}

interface BoundScratch extends ScratchRequest {
  buffer: ScratchBuffer;
}

export class Interpreter {
  private readonly model: Model;
  private readonly runtimes: SubgraphRuntime[];
  private readonly options: InterpreterOptions;
  private operatorTimes: Float64Array;
  private usedBytes = 0;
  private offsets: number[][] = [];
  private arena: ArrayBuffer | null = null;
  private readonly resourceVariables = new ResourceVariables();

  constructor(model: Model, options: InterpreterOptions = {}) {
    if (model.subgraphs[MAIN] === undefined) throw new InterpreterError('the model has no subgraph');
    this.model = model;
    this.options = options;
    const resolver = options.opResolver ?? OpResolver.all();
    const missing: string[] = [];
    this.runtimes = model.subgraphs.map((subgraph, s) => {
      const tensors = subgraph.tensors.map((tensor, i) => new RuntimeTensor(i, tensor));
      const kernels: Kernel[] = [];
      subgraph.operators.forEach((operator, i) => {
        const name = kernelName(operator);
        const dtypes = operator.inputs.map((index) => (index < 0 ? null : tensors[index]?.dtype ?? null));
        const kernel = resolver.find(name);
        if (kernel === undefined || !kernel.supports(operator, dtypes)) {
          const where = s === MAIN ? '' : `subgraph ${s}, `;
          const hint = UNSUPPORTED_HINTS[name];
          missing.push(`${where}operator ${i} (${name}, ${dtypes.find((d) => d !== null) ?? 'no inputs'})${hint === undefined ? '' : `: ${hint}`}`);
        } else {
          kernels.push(kernel);
        }
      });
      return { subgraph, tensors, kernels, prepared: [] };
    });
    if (missing.length > 0) throw new InterpreterError(`unsupported ops: ${missing.join(', ')}`);
    this.operatorTimes = new Float64Array(this.main.subgraph.operators.length);
  }

  private get main(): SubgraphRuntime {
    return this.runtimes[MAIN];
  }

  /** Prepares every operator of every subgraph, plans the arena and binds every tensor to its memory. */
  allocate(): void {
    if (this.arena !== null) return;
    const scratch: BoundScratch[] = [];
    const graph = this.subgraphAccess();
    // TFLM prepares subgraph after subgraph, each in operator order.
    for (const [s, runtime] of this.runtimes.entries()) {
      runtime.prepared = runtime.subgraph.operators.map((operator, i) => {
        const where = `subgraph ${s}, operator ${i} (${kernelName(operator)})`;
        return runtime.kernels[i].prepare({
          subgraphIndex: s,
          operatorIndex: i,
          operator,
          inputs: operator.inputs.map((index) => (index < 0 ? null : runtime.tensors[index] ?? null)),
          outputs: operator.outputs.map((index) => runtime.tensors[index]),
          requestScratch: (byteLength: number): ScratchBuffer => {
            const buffer: ScratchBuffer = { byteLength, bytes: new Uint8Array(0) };
            scratch.push({ subgraphIndex: s, operatorIndex: i, byteLength, buffer });
            return buffer;
          },
          requestPersistent: (byteLength: number): ScratchBuffer => {
            const buffer: ScratchBuffer = { byteLength, bytes: new Uint8Array(0) };
            scratch.push({ subgraphIndex: s, operatorIndex: i, byteLength, buffer, persistent: true });
            return buffer;
          },
          graph,
          error: (detail: string): Error => new InterpreterError(`${where}: ${detail}`),
        });
      });
    }
    const plan = planArena({
      model: this.model,
      tensors: this.runtimes.map((r) => r.tensors),
      kernels: this.runtimes.map((r) => r.kernels),
      scratch,
      preserveAllTensors: this.options.preserveAllTensors,
    });
    const arenaBytes = this.options.arenaBytes ?? plan.usedBytes;
    if (arenaBytes < plan.usedBytes) {
      throw new InterpreterError(`arena too small: ${arenaBytes} bytes given, this model needs ${plan.usedBytes} bytes`);
    }
    const arena = new ArrayBuffer(arenaBytes);
    plan.tensorOffsets.forEach((offsets, s) => offsets.forEach((offset, t) => {
      const tensor = this.runtimes[s].tensors[t];
      if (offset >= 0) tensor.data = typedView(tensor.dtype, arena, offset, tensor.byteLength);
    }));
    scratch.forEach((request, i) => {
      const offset = plan.scratchOffsets[i];
      if (offset >= 0) request.buffer.bytes = new Uint8Array(arena, offset, request.byteLength);
    });
    this.offsets = plan.tensorOffsets;
    this.usedBytes = plan.usedBytes;
    this.arena = arena;
    this.reset();
  }

  /** Arena offset of every tensor of a subgraph (-1: constant, or in a subgraph that never runs); empty before allocate(). */
  arenaOffsets(subgraphIndex = MAIN): number[] {
    return [...(this.offsets[subgraphIndex] ?? [])];
  }

  private subgraphAccess(): SubgraphAccess {
    const runtimeAt = (index: number): SubgraphRuntime => {
      const runtime = this.runtimes[index];
      if (runtime === undefined) throw new InterpreterError(`no subgraph ${index}: the model has ${this.runtimes.length}`);
      return runtime;
    };
    return {
      subgraphCount: this.runtimes.length,
      inputs: (index) => runtimeAt(index).subgraph.inputs.map((t) => runtimeAt(index).tensors[t]),
      outputs: (index) => runtimeAt(index).subgraph.outputs.map((t) => runtimeAt(index).tensors[t]),
      invoke: (index) => {
        const ops = runtimeAt(index).prepared;
        for (let i = 0; i < ops.length; i++) if (ops[i].invoke() === ABORTED) return ABORTED;
        return 'ok';
      },
      resourceVariables: this.resourceVariables,
    };
  }

  /** Arena bytes the plan uses (tensors and scratch); 0 before allocate(). */
  get arenaUsedBytes(): number {
    return this.usedBytes;
  }

  get inputCount(): number {
    return this.main.subgraph.inputs.length;
  }

  get outputCount(): number {
    return this.main.subgraph.outputs.length;
  }

  /**
   * Any tensor of a subgraph. An intermediate tensor's values are only meaningful after invoke()
   * with the preserveAllTensors option (otherwise later operators reuse its bytes).
   */
  tensor(index: number, subgraph = MAIN): RuntimeTensor {
    const tensor = this.runtimes[subgraph]?.tensors[index];
    if (tensor === undefined) throw new InterpreterError(`no tensor ${index} in subgraph ${subgraph}`);
    return tensor;
  }

  input(i: number): RuntimeTensor {
    return this.ioTensor(this.main.subgraph.inputs, i, 'input');
  }

  output(i: number): RuntimeTensor {
    return this.ioTensor(this.main.subgraph.outputs, i, 'output');
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

  /**
   * Runs every operator of subgraph 0 once (control-flow operators run the subgraphs they call).
   * Returns 'aborted' when an operator ended the invoke early, as TFLM's kTfLiteAbort (CIRCULAR_BUFFER
   * between its runs): the operators after it did not run, so the outputs are not new (and, as in
   * TFLM, may hold bytes of tensors that share their arena space).
   */
  invoke(): InvokeStatus {
    if (this.arena === null) throw new InterpreterError('invoke() before allocate()');
    const ops = this.main.prepared;
    if (this.options.profile !== true) {
      for (let i = 0; i < ops.length; i++) if (ops[i].invoke() === ABORTED) return ABORTED;
      return 'ok';
    }
    const times = this.operatorTimes;
    times.fill(0);
    for (let i = 0; i < ops.length; i++) {
      const start = performance.now();
      const status = ops[i].invoke();
      times[i] = performance.now() - start;
      if (status === ABORTED) return ABORTED;
    }
    return 'ok';
  }

  /**
   * Clears variable tensors as TFLM's ResetVariableTensors does (int8: to the zero point, else 0),
   * resource variables as its ResetAll does (to the zero point of the value first assigned), and
   * the state kernels keep across invokes, as MicroInterpreter::Reset does.
   */
  reset(): void {
    this.resourceVariables.resetAll();
    for (const runtime of this.runtimes) for (const op of runtime.prepared) op.reset?.();
    for (const tensor of this.runtimes.flatMap((r) => r.tensors)) {
      if (!tensor.isVariable || tensor.data.byteLength === 0) continue;
      const fill = tensor.dtype === 'int8' ? tensor.zeroPoint & 0xff : 0;
      new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength).fill(fill);
    }
  }

  /** Each operator of subgraph 0 with its MACs and, when the interpreter was created with profile: true, its time in the last invoke(). */
  profile(): OperatorProfile[] {
    return this.main.subgraph.operators.map((operator, index) => ({
      index,
      op: kernelName(operator),
      timeMs: this.operatorTimes[index],
      macs: estimateMacs(operator, this.main.subgraph.tensors).macs,
    }));
  }

  private ioTensor(indices: readonly number[], i: number, what: string): RuntimeTensor {
    const index = indices[i];
    if (index === undefined) throw new InterpreterError(`no ${what} ${i}: the model has ${indices.length} ${what}s`);
    if (this.arena === null) throw new InterpreterError(`${what}(${i}) before allocate()`);
    return this.main.tensors[index];
  }
}

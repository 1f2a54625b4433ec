// Op name -> kernel lookup, like TFLM's MicroMutableOpResolver: the default holds every kernel
// we ship; callers may pass a narrower or extended resolver.
import { BUILTIN_KERNELS, type Kernel } from './kernels/index.js';

export class OpResolver {
  private readonly kernels = new Map<string, Kernel>();

  /** A resolver holding every built-in kernel. */
  static all(): OpResolver {
    const resolver = new OpResolver();
    for (const [op, kernel] of Object.entries(BUILTIN_KERNELS)) resolver.add(op, kernel);
    return resolver;
  }

  /** Registers (or replaces) the kernel for an op name ('FULLY_CONNECTED', or a custom code). */
  add(op: string, kernel: Kernel): this {
    this.kernels.set(op, kernel);
    return this;
  }

  find(op: string): Kernel | undefined {
    return this.kernels.get(op);
  }

  get ops(): string[] {
    return [...this.kernels.keys()].sort();
  }
}

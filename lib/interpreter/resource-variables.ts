// TFLM's MicroResourceVariables: variables named by (container, shared_name) that VAR_HANDLE,
// ASSIGN_VARIABLE and READ_VARIABLE share across subgraphs and invokes. A variable's buffer is
// made (outside the arena, like TFLM's persistent allocation) by the first ASSIGN_VARIABLE
// prepared for it, sized from the assigned tensor and filled with its zero point.

export interface ResourceVariable {
  readonly container: string;
  readonly sharedName: string;
  /** null until an ASSIGN_VARIABLE was prepared for it. */
  bytes: Uint8Array | null;
  /** The byte every element starts from and reset() restores (the assigned tensor's zero point). */
  fill: number;
}

export class ResourceVariables {
  private readonly variables: ResourceVariable[] = [];

  /** TFLM's CreateIdIfNoneFound; an empty container matches any. */
  idFor(container: string, sharedName: string): number {
    const found = this.variables.findIndex((v) => (container === '' || v.container === container) && v.sharedName === sharedName);
    if (found >= 0) return found;
    this.variables.push({ container, sharedName, bytes: null, fill: 0 });
    return this.variables.length - 1;
  }

  /** The variable with this id, or undefined for an id no VAR_HANDLE created. */
  get(id: number): ResourceVariable | undefined {
    return this.variables[id];
  }

  /** TFLM's Allocate: creates the buffer unless it exists. */
  allocate(id: number, byteLength: number, fill: number): void {
    const variable = this.variables[id];
    if (variable === undefined || variable.bytes !== null) return;
    variable.fill = fill & 0xff;
    variable.bytes = new Uint8Array(byteLength).fill(variable.fill);
  }

  /** TFLM's ResetAll: every variable back to its fill byte. */
  resetAll(): void {
    for (const variable of this.variables) variable.bytes?.fill(variable.fill);
  }
}

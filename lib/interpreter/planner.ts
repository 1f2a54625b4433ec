// Arena offsets for buffers with lifetimes, as TFLM's GreedyMemoryPlanner places them: buffers
// with an offline offset (OfflineMemoryAllocation) first, at that offset; then the others largest
// first (sizes rounded up to the alignment, as MicroAllocator's CreatePlan adds them; equal sizes
// in reverse request order, as its stable sort of the reversed list leaves them), each at the
// lowest offset that overlaps no already placed buffer whose lifetime intersects its own.

export const ARENA_ALIGNMENT = 16;

export interface BufferRequest {
  /** Bytes needed (rounded up to the alignment by the planner). */
  size: number;
  /** First and last allocation scope (inclusive) during which the buffer must hold its contents. */
  firstUse: number;
  lastUse: number;
  /** A fixed offset decided before planning (an offline plan); the planner places the others around it. */
  offset?: number;
}

export interface MemoryPlan {
  /** Offset of each request, in request order. */
  offsets: number[];
  /** Arena bytes the plan needs: the highest end of any buffer. */
  usedBytes: number;
}

export function alignUp(value: number, alignment: number = ARENA_ALIGNMENT): number {
  return Math.ceil(value / alignment) * alignment;
}

export function livesTogether(a: BufferRequest, b: BufferRequest): boolean {
  return a.firstUse <= b.lastUse && b.firstUse <= a.lastUse;
}

export function planMemory(requests: readonly BufferRequest[], alignment: number = ARENA_ALIGNMENT): MemoryPlan {
  for (const [i, r] of requests.entries()) {
    if (!(r.size >= 0) || r.firstUse > r.lastUse || (r.offset !== undefined && !(r.offset >= 0))) {
      throw new RangeError(`buffer ${i}: size ${r.size}, lifetime ${r.firstUse}..${r.lastUse}${r.offset === undefined ? '' : `, offset ${r.offset}`} is not a valid request`);
    }
  }
  const indices = requests.map((_, i) => i);
  const fixed = indices.filter((i) => requests[i].offset !== undefined);
  const online = indices.filter((i) => requests[i].offset === undefined)
    .sort((a, b) => alignUp(requests[b].size, alignment) - alignUp(requests[a].size, alignment) || b - a);
  const offsets = new Array<number>(requests.length).fill(0);
  const placed: number[] = [];
  let usedBytes = 0;
  const place = (current: number, offset: number): void => {
    offsets[current] = offset;
    placed.push(current);
    const size = alignUp(requests[current].size, alignment);
    if (size > 0) usedBytes = Math.max(usedBytes, offset + size);
  };
  for (const current of fixed) place(current, requests[current].offset ?? 0);
  for (const current of online) {
    const request = requests[current];
    const size = alignUp(request.size, alignment);
    const conflicts = placed
      .filter((other) => livesTogether(request, requests[other]))
      .sort((a, b) => offsets[a] - offsets[b]);
    let candidate = 0;
    for (const other of conflicts) {
      if (candidate + size <= offsets[other]) break;
      candidate = Math.max(candidate, alignUp(offsets[other] + alignUp(requests[other].size, alignment), alignment));
    }
    place(current, candidate);
  }
  return { offsets, usedBytes };
}

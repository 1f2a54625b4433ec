// Ways to damage a valid model. Each returns new bytes (the input is never changed) and a
// short description that, with the seed and case number, is enough to reproduce the case.
import type { Prng } from './prng.js';
import type { StructureMap } from './structure.js';

export interface MutationInput {
  bytes: Uint8Array;
  map: StructureMap;
  /** A second model, for splicing. */
  other: Uint8Array;
}

export interface Mutation {
  bytes: Uint8Array;
  detail: string;
}

export interface Mutator {
  name: string;
  apply(input: MutationInput, rng: Prng): Mutation;
}

const HUGE_COUNTS = [0x7fffffff, 0xffffffff, 0x80000000, 0x40000000, 0x10000];

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function writeUint32(bytes: Uint8Array, at: number, value: number): boolean {
  if (at < 0 || at + 4 > bytes.length) return false;
  view(bytes).setUint32(at, value >>> 0, true);
  return true;
}

function readInt32(bytes: Uint8Array, at: number): number {
  return at >= 0 && at + 4 <= bytes.length ? view(bytes).getInt32(at, true) : 0;
}

/** A position worth damaging: half the time anywhere, half the time near the structure. */
function somewhere(input: MutationInput, rng: Prng): number {
  const { map, bytes } = input;
  if (rng.next() < 0.5 || map.offsets.length === 0) return rng.below(bytes.length);
  const near = rng.pick(rng.next() < 0.5 ? map.offsets : map.tables);
  return Math.min(bytes.length - 1, Math.max(0, near + rng.between(-8, 8)));
}

const bitFlips: Mutator = {
  name: 'bit-flips',
  apply(input, rng) {
    const bytes = input.bytes.slice();
    const flips: number[] = [];
    for (let n = rng.between(1, 8); n > 0; n--) {
      const at = somewhere(input, rng);
      bytes[at] ^= 1 << rng.below(8);
      flips.push(at);
    }
    return { bytes, detail: `at ${flips.join(',')}` };
  },
};

const randomBytes: Mutator = {
  name: 'random-bytes',
  apply(input, rng) {
    const bytes = input.bytes.slice();
    const at: number[] = [];
    for (let n = rng.between(1, 16); n > 0; n--) {
      const p = somewhere(input, rng);
      bytes[p] = rng.below(256);
      at.push(p);
    }
    return { bytes, detail: `at ${at.join(',')}` };
  },
};

const truncate: Mutator = {
  name: 'truncate',
  apply(input, rng) {
    const length = rng.next() < 0.5 ? rng.below(input.bytes.length) : input.bytes.length - rng.between(1, 64);
    const kept = Math.max(0, length);
    return { bytes: input.bytes.slice(0, kept), detail: `to ${kept} of ${input.bytes.length} bytes` };
  },
};

const splice: Mutator = {
  name: 'splice',
  apply(input, rng) {
    const cut = rng.below(input.bytes.length);
    const from = rng.below(input.other.length);
    const tail = input.other.subarray(from);
    const bytes = new Uint8Array(cut + tail.length);
    bytes.set(input.bytes.subarray(0, cut));
    bytes.set(tail, cut);
    return { bytes, detail: `first ${cut} bytes + other model from ${from}` };
  },
};

const hugeCount: Mutator = {
  name: 'huge-count',
  apply(input, rng) {
    const bytes = input.bytes.slice();
    const at = input.map.lengths.length > 0 ? rng.pick(input.map.lengths) : somewhere(input, rng);
    const value = rng.next() < 0.8 ? rng.pick(HUGE_COUNTS) : readInt32(bytes, at) + rng.between(1, 4096);
    writeUint32(bytes, at, value);
    return { bytes, detail: `length at ${at} := ${value >>> 0}` };
  },
};

/** Rewrites one uoffset: at itself, backwards, past the end, or at another object's target. */
const badOffset: Mutator = {
  name: 'bad-offset',
  apply(input, rng) {
    const bytes = input.bytes.slice();
    const at = input.map.offsets.length > 0 ? rng.pick(input.map.offsets) : somewhere(input, rng);
    const kind = rng.pick(['self', 'backwards', 'past-end', 'alias'] as const);
    let value: number;
    if (kind === 'self') value = 0;
    else if (kind === 'backwards') value = -rng.between(1, Math.max(1, at));
    else if (kind === 'past-end') value = bytes.length - at + rng.between(-3, 4096);
    else {
      const other = rng.pick(input.map.offsets);
      value = other + readInt32(bytes, other) - at;
    }
    writeUint32(bytes, at, value);
    return { bytes, detail: `${kind} offset at ${at} := ${value}` };
  },
};

/** Makes a run of uoffsets (e.g. the rest of a tensors vector) all point at one object. */
const aliasRun: Mutator = {
  name: 'alias-run',
  apply(input, rng) {
    const bytes = input.bytes.slice();
    const at = input.map.offsets.length > 0 ? rng.pick(input.map.offsets) : somewhere(input, rng);
    const target = at + readInt32(bytes, at);
    const count = rng.between(1, 256);
    for (let k = 1; k <= count; k++) writeUint32(bytes, at + 4 * k, target - (at + 4 * k));
    return { bytes, detail: `${count} offsets after ${at} -> ${target}` };
  },
};

/** Points a table at another vtable, or breaks an entry of its own. */
const badVtable: Mutator = {
  name: 'bad-vtable',
  apply(input, rng) {
    const bytes = input.bytes.slice();
    const table = input.map.tables.length > 0 ? rng.pick(input.map.tables) : somewhere(input, rng);
    if (rng.next() < 0.5) {
      const value = rng.pick([rng.uint32(), readInt32(bytes, table) + rng.between(-64, 64), 0x7fffffff, -0x7fffffff]);
      writeUint32(bytes, table, value);
      return { bytes, detail: `soffset of table at ${table} := ${value | 0}` };
    }
    const vtable = table - readInt32(bytes, table);
    const entry = vtable + 2 * rng.between(0, 8);
    if (entry >= 0 && entry + 2 <= bytes.length) view(bytes).setUint16(entry, rng.below(0x10000), true);
    return { bytes, detail: `vtable entry at ${entry} of table ${table}` };
  },
};

const duplicateRegion: Mutator = {
  name: 'duplicate-region',
  apply(input, rng) {
    const length = rng.between(1, Math.min(256, input.bytes.length));
    const from = rng.below(input.bytes.length - length + 1);
    const to = Math.min(somewhere(input, rng), input.bytes.length - length);
    if (rng.next() < 0.5) {
      const bytes = input.bytes.slice();
      bytes.copyWithin(to, from, from + length);
      return { bytes, detail: `copy ${length} bytes ${from} -> ${to}` };
    }
    const bytes = new Uint8Array(input.bytes.length + length);
    bytes.set(input.bytes.subarray(0, to));
    bytes.set(input.bytes.subarray(from, from + length), to);
    bytes.set(input.bytes.subarray(to), to + length);
    return { bytes, detail: `insert ${length} bytes from ${from} at ${to}` };
  },
};

const SINGLE: readonly Mutator[] = [bitFlips, randomBytes, truncate, splice, hugeCount, badOffset, aliasRun, badVtable, duplicateRegion];

const stacked: Mutator = {
  name: 'stacked',
  apply(input, rng) {
    let current = input;
    const steps: string[] = [];
    for (let n = rng.between(2, 4); n > 0; n--) {
      const mutator = rng.pick(SINGLE);
      const out = mutator.apply(current, rng);
      steps.push(`${mutator.name} ${out.detail}`);
      // The map describes the original layout; past the first step it only aims roughly.
      current = { ...current, bytes: out.bytes.length > 0 ? out.bytes : current.bytes };
    }
    return { bytes: current.bytes, detail: steps.join('; ') };
  },
};

export const MUTATORS: readonly Mutator[] = [...SINGLE, stacked];

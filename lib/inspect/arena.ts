// The arena RAM a model needs, from the interpreter's own memory plan (the figure TFLM reports
// as arena_used_bytes, without TFLM's bookkeeping).
import { Interpreter } from '../interpreter/interpreter.js';
import type { Model } from '../model/types.js';

export interface ArenaEstimate {
  bytes: number | null;
  /** Why there is no figure (e.g. the ops the interpreter does not have yet); null when planned. */
  note: string | null;
}

export function planArena(model: Model): ArenaEstimate {
  try {
    const interpreter = new Interpreter(model);
    interpreter.allocate();
    return { bytes: interpreter.arenaUsedBytes, note: null };
  } catch (err) {
    return { bytes: null, note: err instanceof Error ? err.message : String(err) };
  }
}

// fits(model, board): does a model, with our runtime, fit a board's flash and RAM?
import { planArena } from '../../inspect/arena.js';
import { writeModel } from '../../model/write.js';
import type { Model } from '../../model/types.js';
import type { BoardProfile } from './profile.js';
import { RUNTIME_SIZE } from './runtime-size.js';

export interface Budget {
  needed: number;
  available: number;
  /** available - needed: negative when it does not fit. */
  margin: number;
}

export interface BoardFit {
  board: string;
  boardName: string;
  fits: boolean;
  flash: Budget;
  /** null when the arena cannot be planned (ramNote says why); fits is then false. */
  ram: Budget | null;
  ramNote: string | null;
  message: string;
}

export interface FitsOptions {
  /** The .tflite size; default: the size of the model written back to bytes. */
  modelBytes?: number;
  /** The arena when already planned (inspect() has it); default: planned here. */
  arenaBytes?: number | null;
  /** Replaces the core's stack allowance from RUNTIME_SIZE. */
  stackBytes?: number;
}

function budget(needed: number, available: number): Budget {
  return { needed, available, margin: available - needed };
}

/** 1100 -> '1.1 KB', 512 -> '512 B', 2097152 -> '2 MB'; KB = 1024 bytes, as boards are sold. */
export function formatKb(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(2))} MB`;
  return `${Number((bytes / 1024).toFixed(1))} KB`;
}

function messageOf(board: BoardProfile, flash: Budget, ram: Budget | null, ramNote: string | null): string {
  if (ram === null) return `unknown: cannot plan the arena (${ramNote ?? 'no reason given'})`;
  const problems: string[] = [];
  if (flash.margin < 0) problems.push(`needs ${formatKb(flash.needed)} flash, ${board.name} has ${formatKb(flash.available)}`);
  if (ram.margin < 0) problems.push(`needs ${formatKb(ram.needed)} RAM, ${board.name} has ${formatKb(ram.available)}`);
  if (problems.length > 0) return `does not fit: ${problems.join('; ')}`;
  return `fits: ${formatKb(flash.needed)} of ${formatKb(flash.available)} flash, ${formatKb(ram.needed)} of ${formatKb(ram.available)} RAM`;
}

/**
 * Flash needed = model bytes + our runtime's code on the board's core; RAM needed = the arena
 * our planner gives (TFLM's arena_used_bytes without its bookkeeping) + the runtime's globals
 * + a stack allowance. Both per RUNTIME_SIZE.
 */
export function fits(model: Model, board: BoardProfile, options: FitsOptions = {}): BoardFit {
  const runtime = RUNTIME_SIZE[board.core];
  const modelBytes = options.modelBytes ?? writeModel(model).byteLength;
  const arena = options.arenaBytes !== undefined && options.arenaBytes !== null
    ? { bytes: options.arenaBytes, note: null }
    : planArena(model);
  const flash = budget(modelBytes + runtime.flashBytes, board.flashBytes);
  const ram = arena.bytes === null
    ? null
    : budget(arena.bytes + runtime.ramBytes + (options.stackBytes ?? runtime.stackBytes), board.ramBytes);
  return {
    board: board.id,
    boardName: board.name,
    fits: ram !== null && flash.margin >= 0 && ram.margin >= 0,
    flash,
    ram,
    ramNote: arena.note,
    message: messageOf(board, flash, ram, arena.note),
  };
}

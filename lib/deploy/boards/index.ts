// Board profiles and the fits-on-board check.
import type { BoardProfile } from './profile.js';
import { BOARDS } from './profiles.js';

export type * from './profile.js';
export { BOARDS } from './profiles.js';
export { fits, formatKb, type BoardFit, type Budget, type FitsOptions } from './fits.js';
export { RUNTIME_SIZE, type RuntimeSize } from './runtime-size.js';
export { formatBoards } from './format.js';

/** The profile with this id (case-insensitive); throws naming the known ids otherwise. */
export function findBoard(id: string): BoardProfile {
  const board = BOARDS.find((b) => b.id === id.toLowerCase());
  if (board === undefined) {
    throw new RangeError(`unknown board '${id}': known boards are ${BOARDS.map((b) => b.id).join(', ')}`);
  }
  return board;
}

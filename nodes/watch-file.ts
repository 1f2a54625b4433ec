// Noticing that a model file changed, however it changed. Editors and build tools often write a
// new file and rename it over the old one, which ends a watch on the file itself; so we watch
// the directory for the file's name, and poll the file's stat as a fallback for when the
// directory cannot be watched (missing, removed, or a file system without notifications).
import fs from 'node:fs';
import path from 'node:path';

export interface FileWatch {
  close(): void;
}

const POLL_INTERVAL_MS = 1000;

/** Calls `onChange` once things settle after `file` was written, replaced, created or deleted. */
export function watchFile(file: string, onChange: () => void, settleMs = 100): FileWatch {
  let timer: NodeJS.Timeout | undefined;
  const changed = (): void => {
    clearTimeout(timer);
    timer = setTimeout(onChange, settleMs);
  };

  const name = path.basename(file);
  let dirWatch: fs.FSWatcher | null = null;
  try {
    dirWatch = fs.watch(path.dirname(file), { persistent: false }, (_event, filename) => {
      if (filename === null || filename === name) changed();
    });
    dirWatch.on('error', () => {
      dirWatch?.close();
      dirWatch = null;
    });
  } catch {
    dirWatch = null; // the poll below still sees the file appear
  }

  const poll = (now: fs.Stats, before: fs.Stats): void => {
    if (now.mtimeMs !== before.mtimeMs || now.size !== before.size || now.ino !== before.ino) changed();
  };
  fs.watchFile(file, { persistent: false, interval: POLL_INTERVAL_MS }, poll);

  return {
    close(): void {
      clearTimeout(timer);
      dirWatch?.close();
      dirWatch = null;
      fs.unwatchFile(file, poll);
    },
  };
}

// A progress bar for long work, drawn on stderr only when a person is watching (a TTY), so
// pipes, logs and tests see clean output.
import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  /** Names the item now being worked on. */
  working(item: string): void;
  /** Marks one more item done. */
  done(): void;
  stop(): void;
}

const SILENT: Progress = { working() {}, done() {}, stop() {} };

export function startProgress(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (!stream.isTTY || total <= 0) return SILENT;
  const bar = new SingleBar(
    {
      stream,
      format: `${label} [{bar}] {value}/{total} {item}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, { item: '' });
  return {
    working(item) {
      bar.update({ item });
    },
    done() {
      bar.increment();
    },
    stop() {
      bar.stop();
    },
  };
}

/** Runs `work` on each item in turn with a bar; the bar is removed even when work throws. */
export async function withProgress<T, R>(
  label: string,
  items: readonly T[],
  name: (item: T) => string,
  work: (item: T, index: number) => R | Promise<R>,
): Promise<R[]> {
  const progress = startProgress(label, items.length);
  const results: R[] = [];
  try {
    for (let i = 0; i < items.length; i++) {
      progress.working(name(items[i]));
      results.push(await work(items[i], i));
      progress.done();
    }
  } finally {
    progress.stop();
  }
  return results;
}

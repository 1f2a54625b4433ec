const INLINE_WIDTH = 48;

/** The "Examples:" block shown after a command's help: each command with what it does. */
export function examples(lines: readonly (readonly [command: string, comment: string])[]): string {
  const width = Math.max(...lines.map(([command]) => command.length));
  const body = width <= INLINE_WIDTH
    ? lines.map(([command, comment]) => `  $ ${command.padEnd(width)}  # ${comment}`)
    : lines.flatMap(([command, comment]) => [`  # ${comment}`, `  $ ${command}`]);
  return ['', 'Examples:', ...body].join('\n');
}

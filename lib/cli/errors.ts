/** Exit codes the CLI promises: scripts branch on them. */
export const EXIT_OK = 0;
/** Bad input: a missing file, a corrupt model, a malformed C array. */
export const EXIT_INPUT = 1;
/** The command line itself is wrong: unknown command or option, missing argument. */
export const EXIT_USAGE = 2;

/**
 * A failure the user caused and can fix; main prints only its message (no stack trace),
 * so the message must say what went wrong and where.
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_INPUT) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

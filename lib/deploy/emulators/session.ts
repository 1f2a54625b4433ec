/** A running emulated board whose UART is a pseudo-terminal. */
export interface EmulatorSession {
  /** The pseudo-terminal to open with serialport (or avrdude). */
  readonly ptyPath: string;
  /** The emulator's process id. */
  readonly pid: number;
  /**
   * Lets the board run. QEMU starts paused (-S) so no byte the firmware writes is lost: open the
   * pty first, then resume. The simulated Uno resets when its pty is opened, so this is a no-op.
   */
  resume(): Promise<void>;
  /** Ends the emulator; resolves once its process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

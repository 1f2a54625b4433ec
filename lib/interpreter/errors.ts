/** A model the interpreter cannot run, or a call it cannot honour; the message says what and where. */
export class InterpreterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterpreterError';
  }
}

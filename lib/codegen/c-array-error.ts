/**
 * C source that fromCArray cannot turn into bytes, with where: `line` and `column` are 1-based
 * and point at the offending character (or just past the last character when the text ended
 * too early). Columns count characters (Unicode code points); a tab counts as one.
 */
export class CArrayError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(line: number, column: number, detail: string) {
    super(`line ${line}, column ${column}: ${detail}`);
    this.name = 'CArrayError';
    this.line = line;
    this.column = column;
  }
}

/** The 1-based line and column of a UTF-16 offset in `text`. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  let column = 1;
  for (let i = lineStart; i < offset && i < text.length; i++) {
    // The second half of a surrogate pair belongs to the character already counted.
    const code = text.charCodeAt(i);
    if (code < 0xdc00 || code > 0xdfff) column++;
    else if (i === lineStart || !isHighSurrogate(text.charCodeAt(i - 1))) column++;
  }
  return { line, column };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** A CArrayError at a UTF-16 offset of `text`. */
export function errorAt(text: string, offset: number, detail: string): CArrayError {
  const { line, column } = positionOf(text, offset);
  return new CArrayError(line, column, detail);
}

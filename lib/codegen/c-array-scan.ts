// The C tokens fromCArray needs, read in place: the scanner keeps the current token as offsets
// into the text (no token objects), so a 2 MB xxd dump parses without allocating per byte.
import { CArrayError, errorAt } from './c-array-error.js';

export type TokenKind = 'identifier' | 'number' | 'string' | 'character' | 'punctuator' | 'end';

const TAB = 9, LF = 10, VT = 11, FF = 12, CR = 13, SPACE = 32;
const QUOTE = 34, HASH = 35, APOSTROPHE = 39, STAR = 42, PLUS = 43, MINUS = 45, DOT = 46, SLASH = 47;
const COLON = 58, BACKSLASH = 92;
const PUNCTUATORS = '{}[]()=;,+-*&<>:.?!~%^|/#';

export class CScanner {
  readonly text: string;
  private tokenKind: TokenKind = 'end';
  /** Offset of the current token's first character. */
  start = 0;
  /** Offset just past the current token. */
  end = 0;
  private pos = 0;
  private atLineStart = true;

  constructor(text: string) {
    this.text = text;
    this.advance();
  }

  /** The current token's kind; a method so that TypeScript does not keep it narrowed across advance(). */
  kind(): TokenKind {
    return this.tokenKind;
  }

  /** The current token's text. */
  get value(): string {
    return this.text.slice(this.start, this.end);
  }

  /** Whether the current token is the punctuator `p`. */
  is(p: string): boolean {
    return this.tokenKind === 'punctuator' && this.end - this.start === p.length && this.text.startsWith(p, this.start);
  }

  /** The current token as a message shows it. */
  describe(): string {
    if (this.tokenKind === 'end') return 'the end of the text';
    const shown = this.value;
    return `'${shown.length > 40 ? `${shown.slice(0, 40)}...` : shown}'`;
  }

  /** An error at `offset` (default: the current token). */
  fail(detail: string, offset: number = this.start): CArrayError {
    return errorAt(this.text, offset, detail);
  }

  /** Moves to the next token, past whitespace, comments and preprocessor lines. */
  advance(): void {
    this.skipBlanks();
    const text = this.text;
    const start = this.pos;
    this.start = start;
    if (start >= text.length) {
      this.tokenKind = 'end';
      this.end = start;
      return;
    }
    const c = text.charCodeAt(start);
    let end = start + 1;
    if (isIdentifierStart(c)) {
      while (end < text.length && isIdentifierPart(text.charCodeAt(end))) end++;
      this.tokenKind = 'identifier';
    } else if (isDigit(c) || (c === DOT && isDigit(text.charCodeAt(end)))) {
      end = ppNumberEnd(text, start);
      this.tokenKind = 'number';
    } else if (c === QUOTE || c === APOSTROPHE) {
      end = this.quotedEnd(start, c);
      this.tokenKind = c === QUOTE ? 'string' : 'character';
    } else if (c === COLON && text.charCodeAt(end) === COLON) {
      end++;
      this.tokenKind = 'punctuator';
    } else if (c < 128 && PUNCTUATORS.includes(text[start])) {
      this.tokenKind = 'punctuator';
    } else {
      const code = text.codePointAt(start) ?? c;
      const unicode = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      throw this.fail(`unexpected character '${String.fromCodePoint(code)}' (${unicode}): expected C declarations`, start);
    }
    this.end = end;
    this.pos = end;
    this.atLineStart = false;
  }

  private skipBlanks(): void {
    const text = this.text;
    let pos = this.pos;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === LF) {
        this.atLineStart = true;
        pos++;
      } else if (c === SPACE || c === TAB || c === CR || c === VT || c === FF) {
        pos++;
      } else if (c === SLASH && text.charCodeAt(pos + 1) === SLASH) {
        pos = lineCommentEnd(text, pos);
      } else if (c === SLASH && text.charCodeAt(pos + 1) === STAR) {
        pos = this.blockCommentEnd(pos);
      } else if (c === HASH && this.atLineStart) {
        pos = this.directiveEnd(pos);
      } else {
        break;
      }
    }
    this.pos = pos;
  }

  private blockCommentEnd(open: number): number {
    const close = this.text.indexOf('*/', open + 2);
    if (close === -1) throw this.fail("unterminated comment: expected '*/' to close this '/*'", open);
    return close + 2;
  }

  // A preprocessor line runs to the end of the line, continued by a backslash before the
  // newline; fromCArray does not evaluate directives, it steps over them.
  private directiveEnd(hash: number): number {
    const text = this.text;
    let pos = hash + 1;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === LF) return pos;
      if (c === BACKSLASH && text.charCodeAt(pos + 1) === LF) pos += 2;
      else if (c === BACKSLASH && text.charCodeAt(pos + 1) === CR && text.charCodeAt(pos + 2) === LF) pos += 3;
      else if (c === SLASH && text.charCodeAt(pos + 1) === STAR) pos = this.blockCommentEnd(pos);
      else if (c === SLASH && text.charCodeAt(pos + 1) === SLASH) return lineCommentEnd(text, pos);
      else if (c === QUOTE) pos = this.quotedEnd(pos, QUOTE);
      else pos++;
    }
    return pos;
  }

  private quotedEnd(open: number, quote: number): number {
    const text = this.text;
    let pos = open + 1;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === quote) return pos + 1;
      if (c === LF) break;
      pos += c === BACKSLASH ? 2 : 1;
    }
    const what = quote === QUOTE ? 'string' : 'character constant';
    throw this.fail(`unterminated ${what}: expected ${quote === QUOTE ? '\'"\'' : '"\'"'} before the end of the line`, open);
  }
}

function lineCommentEnd(text: string, pos: number): number {
  const newline = text.indexOf('\n', pos);
  return newline === -1 ? text.length : newline;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || isDigit(c);
}

// C's preprocessing number: digits, letters, '_', '.', and a sign right after e/E/p/P. It is
// deliberately greedy (0x1e+5 is one token) so that a malformed literal is reported whole.
function ppNumberEnd(text: string, start: number): number {
  let end = start + 1;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (isIdentifierPart(c) || c === DOT) {
      end++;
    } else if ((c === PLUS || c === MINUS) && 'eEpP'.includes(text[end - 1])) {
      end++;
    } else {
      break;
    }
  }
  return end;
}

/**
 * The value of an integer literal text[start, end): hex (0x1c, 0X1C), binary (0b1010, a GNU
 * extension that `xxd -b -i` writes), octal (017, as C reads a leading 0) or decimal, with an
 * optional u/l/ll suffix. NaN when it is not one.
 */
export function integerLiteralValue(text: string, start: number, end: number): number {
  let suffixStart = end;
  while (suffixStart > start && 'uUlL'.includes(text[suffixStart - 1])) suffixStart--;
  if (suffixStart < end && !/^(?:[uU](?:ll|LL|[lL])?|(?:ll|LL|[lL])[uU]?)$/.test(text.slice(suffixStart, end))) return NaN;
  let base = 10;
  let pos = start;
  const second = text[start + 1];
  if (text[start] === '0' && (second === 'x' || second === 'X')) {
    base = 16;
    pos += 2;
  } else if (text[start] === '0' && (second === 'b' || second === 'B')) {
    base = 2;
    pos += 2;
  } else if (text[start] === '0') {
    base = 8;
  }
  if (pos >= suffixStart) return NaN;
  let value = 0;
  for (; pos < suffixStart; pos++) {
    const digit = digitValue(text.charCodeAt(pos));
    if (digit >= base) return NaN;
    value = value * base + digit;
  }
  return value;
}

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return 99;
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63,
};

/** The byte of a one-character constant text[start, end) such as 'A', '\n', '\x1c' or '\0'; NaN otherwise. */
export function characterLiteralValue(text: string, start: number, end: number): number {
  const body = text.slice(start + 1, end - 1);
  if (body.length === 1) return body.charCodeAt(0) < 128 && body !== "'" ? body.charCodeAt(0) : NaN;
  if (body[0] !== '\\' || body.length < 2) return NaN;
  if (body.length === 2 && body[1] in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[body[1]];
  const octal = /^\\([0-7]{1,3})$/.exec(body);
  if (octal) return parseInt(octal[1], 8) <= 255 ? parseInt(octal[1], 8) : NaN;
  const hex = /^\\x([0-9a-fA-F]+)$/.exec(body);
  if (hex) return parseInt(hex[1], 16) <= 255 ? parseInt(hex[1], 16) : NaN;
  return NaN;
}

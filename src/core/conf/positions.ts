// The parser counts bytes; editors and the CLI count UTF-16 code units. These helpers convert.
import type { BytePos, SourceFile } from './parser';

/** The bytes of 0-based line `line` of a binary string (without the newline). */
export function lineText(text: string, line: number): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return '';
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end);
}

/** Byte column to UTF-16 column within one line of bytes. */
export function byteColToCharCol(lineBytes: string, byteCol: number): number {
  const prefix = lineBytes.slice(0, byteCol);
  // fast path: pure ASCII
  if (!/[\x80-\xff]/.test(prefix)) return byteCol;
  return Buffer.from(prefix, 'latin1').toString('utf8').length;
}

/** Maps byte positions of one file to character positions, caching line offsets. */
export class PositionMapper {
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  static of(file: SourceFile): PositionMapper {
    return new PositionMapper(file.text);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  line(n: number): string {
    const start = this.lineStarts[n] ?? this.text.length;
    const next = this.lineStarts[n + 1];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1);
  }

  /** 0-based character position */
  toChar(pos: BytePos): { line: number; character: number } {
    return { line: pos.line, character: byteColToCharCol(this.line(pos.line), pos.col) };
  }

  /** column (0-based, characters) of the first non-blank character of a line */
  firstNonBlank(line: number): number {
    const l = this.line(line);
    const m = /^[ \t\r]*/.exec(l);
    return byteColToCharCol(l, m ? m[0].length : 0);
  }

  /** length in characters of a 0-based line */
  lineLength(line: number): number {
    return byteColToCharCol(this.line(line), this.line(line).length);
  }
}

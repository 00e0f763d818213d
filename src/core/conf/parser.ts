// ParseConfigFile / ParseConfigFp / ParseConfigDirectory from PostgreSQL's guc-file.l and
// conffiles.c, ported statement by statement so that line numbers, error texts and the order of
// settings are the server's. Never throws: bad input becomes error records. Unlike the server it
// never reads without bound: `limits` caps the files opened and the bytes read per reading.
// File names are bytes (src/core/files/pathBytes.ts); messages are binary strings like values.
import * as path from 'node:path';

import { binaryToPath, pathToBinary } from '../files/pathBytes';
import { type ConfFileSystem, type FsResult, strerror } from './fileSystem';
import { deescapeQuotedString, Lexer, type Token, TokenKind } from './lexer';

/** CONF_FILE_MAX_DEPTH in conffiles.h */
export const MAX_INCLUDE_DEPTH = 10;
const MAX_SYNTAX_ERRORS = 100;

/** A 0-based position inside a file: line and byte column. */
export interface BytePos {
  line: number;
  col: number;
}

/** One entry of PostgreSQL's ConfigVariable list: a setting, or an error record. */
export interface ConfItem {
  /** null for error records */
  name: string | null;
  value: string | null;
  /** error text as pg_file_settings.error shows it */
  errmsg: string | null;
  /** file of the setting, or of the directive that failed; null for an error in the top-level file itself */
  file: string | null;
  /** pg_file_settings.sourceline (1-based; the server's count) */
  line: number;
  ignore: boolean;
  applied: boolean;
  /** editor positions (0-based line, byte column) of name and value; absent for error records */
  nameStart?: BytePos;
  nameEnd?: BytePos;
  valueStart?: BytePos;
  valueEnd?: BytePos;
  /** the value token as written (with quotes, if quoted) */
  rawValue?: string;
  /** the kind of token the value was written as */
  valueToken?: 'id' | 'string' | 'integer' | 'real' | 'unquoted';
}

/**
 * A setting as the parser records it. A 30 MB configuration holds a million of them, so the four
 * positions (all on one line: a setting cannot span lines) are packed into numbers and handed out
 * as BytePos objects only when asked for.
 */
class SettingItem implements ConfItem {
  errmsg: string | null = null;
  ignore = false;
  applied = false;

  constructor(
    public name: string,
    public value: string,
    public file: string,
    public line: number,
    private readonly posLine: number,
    private readonly nameCol: number,
    private readonly nameEndCol: number,
    private readonly valueCol: number,
    private readonly valueEndCol: number,
    public rawValue: string,
    public valueToken: ConfItem['valueToken'],
  ) {}

  get nameStart(): BytePos {
    return { line: this.posLine, col: this.nameCol };
  }
  get nameEnd(): BytePos {
    return { line: this.posLine, col: this.nameEndCol };
  }
  get valueStart(): BytePos {
    return { line: this.posLine, col: this.valueCol };
  }
  get valueEnd(): BytePos {
    return { line: this.posLine, col: this.valueEndCol };
  }
}

export type ParseErrorKind = 'syntax' | 'include';

/** A message the server logs while reading the files, in the order it logs them. */
export interface ParseMessage {
  /** 'limit': pg-pitr stopped reading (ParseState.stopped), not something the server logs */
  kind: ParseErrorKind | 'log' | 'limit';
  /** wording as the server logs it (without the severity prefix) */
  message: string;
  file: string | null;
  /** 1-based line as the server reports it; null when it reports none */
  line: number | null;
  start?: BytePos;
  end?: BytePos;
}

/** A file that was read, with what an editor needs to map byte columns. */
export interface SourceFile {
  path: string;
  /** the file's bytes as a binary string (one char per byte) */
  text: string;
  depth: number;
}

export interface ParseOptions {
  fs: ConfFileSystem;
  /** stop each file at its first syntax error, as pg_file_settings does (elevel <= DEBUG1) */
  stopAtFirstSyntaxError?: boolean;
  /** the data directory, to resolve relative paths in files with no calling file (postgresql.auto.conf) */
  dataDir?: string | null;
  /** bounds of one reading (DEFAULT_READ_LIMITS when absent) */
  limits?: ReadLimits;
}

/**
 * What one reading may cost. The server has no such bounds: two files including each other four
 * times make it open a million files (19 s on PostgreSQL 17) before it refuses to start.
 */
export interface ReadLimits {
  /** files opened, counting a file included twice twice */
  maxFiles: number;
  /** bytes read, counted the same way */
  maxBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxFiles: 10_000, maxBytes: 256 * 1024 * 1024 };

export interface ParseState {
  items: ConfItem[];
  messages: ParseMessage[];
  files: SourceFile[];
  filesRead: number;
  bytesRead: number;
  /** set when a limit stopped the reading: nothing after it was read */
  stopped: ParseMessage | null;
  /** each file is read from disk once per reading, however often it is included */
  texts: Map<string, FsResult<string>>;
}

export function newParseState(): ParseState {
  return { items: [], messages: [], files: [], filesRead: 0, bytesRead: 0, stopped: null, texts: new Map() };
}

/** canonicalize_path for POSIX paths: collapse separators, '.', '..' and trailing slashes. */
export function canonicalizePath(p: string): string {
  let r = path.posix.normalize(p);
  if (r.length > 1 && r.endsWith('/')) r = r.slice(0, -1);
  return r;
}

/** AbsoluteConfigLocation: absolute paths as given, relative ones against the calling file's directory. */
export function absoluteConfigLocation(location: string, callingFile: string | null, dataDir: string | null): string {
  if (location.startsWith('/')) return location;
  const base = callingFile !== null ? path.posix.dirname(callingFile) : (dataDir ?? process.cwd());
  return canonicalizePath(base + '/' + location);
}

function recordError(state: ParseState, errmsg: string, file: string | null, line: number): void {
  state.items.push({ name: null, value: null, errmsg, file, line, ignore: true, applied: false });
}

/** Stops the whole reading at an include that would pass a limit. Returns true: not an error of the files. */
function stopReading(state: ParseState, message: string, callingFile: string | null, callingLine: number): true {
  const m: ParseMessage = { kind: 'limit', message, file: callingFile, line: callingLine || null };
  state.messages.push(m);
  state.stopped = m;
  return true;
}

function readText(absPath: string, opts: ParseOptions, state: ParseState, maxBytes: number): FsResult<string> {
  let r = state.texts.get(absPath);
  if (r === undefined) {
    const read = opts.fs.readFile(absPath, maxBytes);
    // one byte per char keeps byte offsets; a too-large file may fit a later, larger budget: not kept
    r = read.ok ? { ok: true, value: read.value.toString('latin1') } : read;
    if (read.ok || read.code !== 'EFBIG') state.texts.set(absPath, r);
  }
  if (r.ok && r.value.length > maxBytes) return { ok: false, code: 'EFBIG' };
  return r;
}

const MIB = 1024 * 1024;

/** An include problem: the message the server logs and the error row pg_file_settings shows. Returns false. */
function includeFailure(
  state: ParseState,
  message: string,
  errmsg: string,
  callingFile: string | null,
  callingLine: number,
): false {
  state.messages.push({ kind: 'include', message, file: callingFile, line: callingLine || null });
  recordError(state, errmsg, callingFile, callingLine);
  return false;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\n') return false;
  }
  return true;
}

/** C strings end at the first NUL: pstrdup of a token or a de-escaped value keeps only what precedes it. */
function cString(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

/**
 * ParseConfigFile. `configFile` is the location as written (a binary string, like every value);
 * a top-level caller passes pathToBinary(path).
 */
export function parseConfigFile(
  configFile: string,
  strict: boolean,
  callingFile: string | null,
  callingLine: number,
  depth: number,
  opts: ParseOptions,
  state: ParseState,
): boolean {
  if (state.stopped) return true;
  if (isBlank(configFile)) {
    return includeFailure(
      state,
      `empty configuration file name: "${configFile}"`,
      'empty configuration file name',
      callingFile,
      callingLine,
    );
  }
  if (depth > MAX_INCLUDE_DEPTH) {
    return includeFailure(
      state,
      `could not open configuration file "${configFile}": maximum nesting depth exceeded`,
      'nesting depth exceeded',
      callingFile,
      callingLine,
    );
  }
  const absPath = absoluteConfigLocation(binaryToPath(configFile), callingFile, opts.dataDir ?? null);
  const shown = pathToBinary(absPath);
  if (callingFile !== null && absPath === callingFile) {
    return includeFailure(
      state,
      `configuration file recursion in "${pathToBinary(callingFile)}"`,
      'configuration file recursion',
      callingFile,
      callingLine,
    );
  }
  const limits = opts.limits ?? DEFAULT_READ_LIMITS;
  if (state.filesRead >= limits.maxFiles) {
    return stopReading(
      state,
      `pg-pitr stopped reading the configuration at "${shown}": ${limits.maxFiles} files were opened ` +
        `(its limit per check; an include cycle multiplies the files the server opens)`,
      callingFile,
      callingLine,
    );
  }
  const read = readText(absPath, opts, state, limits.maxBytes - state.bytesRead);
  if (!read.ok) {
    if (read.code === 'EFBIG') {
      return stopReading(
        state,
        `pg-pitr stopped reading the configuration at "${shown}": it would read more than ` +
          `${Math.floor(limits.maxBytes / MIB)} MiB (its limit per check; PostgreSQL reads files of any size)`,
        callingFile,
        callingLine,
      );
    }
    if (read.code === 'ENOTREG') {
      // not the server's words: it would block (FIFO, terminal) or read without end (/dev/zero)
      return includeFailure(
        state,
        `could not read configuration file "${shown}": it is ${read.kind ?? 'not a regular file'}, not a regular file ` +
          `(a starting server would wait on it or read it without end)`,
        `could not read file "${shown}"`,
        callingFile,
        callingLine,
      );
    }
    // include_if_exists skips only a missing file (AllocateFile's errno ENOENT)
    if (strict || read.code !== 'ENOENT') {
      return includeFailure(
        state,
        `could not open configuration file "${shown}": ${strerror(read.code)}`,
        `could not open file "${shown}"`,
        callingFile,
        callingLine,
      );
    }
    state.messages.push({
      kind: 'log',
      message: `skipping missing configuration file "${shown}"`,
      file: callingFile,
      line: callingLine || null,
    });
    return true;
  }
  state.filesRead++;
  state.bytesRead += read.value.length;
  return parseConfigText(read.value, absPath, depth, opts, state);
}

/** ParseConfigDirectory + GetConfFilesInDir */
export function parseConfigDirectory(
  includeDir: string,
  callingFile: string | null,
  callingLine: number,
  depth: number,
  opts: ParseOptions,
  state: ParseState,
): boolean {
  if (isBlank(includeDir)) {
    return includeFailure(
      state,
      `empty configuration directory name: "${includeDir}"`,
      'empty configuration directory name',
      callingFile,
      callingLine,
    );
  }
  if (state.stopped) return true;
  const directory = absoluteConfigLocation(binaryToPath(includeDir), callingFile, opts.dataDir ?? null);
  const listing = opts.fs.readDir(directory);
  if (!listing.ok) {
    return includeFailure(
      state,
      `could not open configuration directory "${pathToBinary(directory)}": ${strerror(listing.code)}`,
      `could not open directory "${pathToBinary(directory)}"`,
      callingFile,
      callingLine,
    );
  }
  // file names as bytes (binary strings): their length, their strcmp order and the messages are in bytes
  const names: string[] = [];
  for (const entry of listing.value) {
    const name = pathToBinary(entry.name);
    // only "*.conf" (case-sensitive), at least 6 bytes, not hidden, not a directory
    if (name.length < 6 || name[0] === '.' || !name.endsWith('.conf')) continue;
    const filename = pathToBinary(canonicalizePath(directory + '/' + entry.name));
    if (entry.type === 'error') {
      // stat() follows links: a dangling one is ENOENT, a loop ELOOP
      return includeFailure(
        state,
        `could not stat file "${filename}": ${strerror(entry.code ?? 'ENOENT')}`,
        `could not stat file "${filename}"`,
        callingFile,
        callingLine,
      );
    }
    if (entry.type !== 'directory') names.push(filename);
  }
  // strcmp order (bytes), not locale order
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const f of names) {
    if (!parseConfigFile(f, true, callingFile, callingLine, depth, opts, state)) return false;
    if (state.stopped) return true;
  }
  return true;
}

/** ParseConfigFp over a file's bytes (as a binary string). */
export function parseConfigText(
  text: string,
  configFile: string,
  depth: number,
  opts: ParseOptions,
  state: ParseState,
): boolean {
  state.files.push({ path: configFile, text, depth });
  const lexer = new Lexer(text);
  let lineNo = 1; // ConfigFileLineno
  let lineStart = 0; // byte offset where the current (0-based lineNo-1) line starts
  let ok = true;
  let errorCount = 0;
  const posOf = (offset: number): BytePos => ({ line: lineNo - 1, col: offset - lineStart });

  const lex = (): Token => {
    const t = lexer.next();
    if (t.kind === TokenKind.Eol) {
      lineNo++;
      lineStart = t.end;
    }
    return t;
  };

  for (;;) {
    let token = lex();
    if (token.kind === TokenKind.Eof) break;
    if (token.kind === TokenKind.Eol) continue;

    let failed = false;
    let optName = '';
    let optValue = '';
    let posLine = 0;
    let nameCol = 0;
    let nameEndCol = 0;
    let valueCol = 0;
    let valueEndCol = 0;
    let rawValue = '';
    let valueToken: ConfItem['valueToken'];

    if (token.kind !== TokenKind.Id && token.kind !== TokenKind.QualifiedId) {
      failed = true;
    } else {
      optName = cString(text.slice(token.start, token.end));
      posLine = lineNo - 1;
      nameCol = token.start - lineStart;
      nameEndCol = token.end - lineStart;
      token = lex();
      if (token.kind === TokenKind.Equals) token = lex();
      switch (token.kind) {
        case TokenKind.Id:
          valueToken = 'id';
          break;
        case TokenKind.String:
          valueToken = 'string';
          break;
        case TokenKind.Integer:
          valueToken = 'integer';
          break;
        case TokenKind.Real:
          valueToken = 'real';
          break;
        case TokenKind.UnquotedString:
          valueToken = 'unquoted';
          break;
        default:
          failed = true;
      }
      if (!failed) {
        rawValue = text.slice(token.start, token.end);
        optValue = cString(token.kind === TokenKind.String ? deescapeQuotedString(rawValue) : rawValue);
        valueCol = token.start - lineStart;
        valueEndCol = token.end - lineStart;
        token = lex();
        if (token.kind !== TokenKind.Eol) {
          if (token.kind !== TokenKind.Eof) failed = true;
          // treat EOF like \n for line numbering purposes
          else lineNo++;
        }
      }
    }

    if (!failed) {
      const sourceLine = lineNo - 1;
      // directive names are compared with guc_name_compare (ASCII case folding)
      if (asciiLower(optName) === 'include_dir') {
        if (!parseConfigDirectory(optValue, configFile, sourceLine, depth + 1, opts, state)) ok = false;
        if (state.stopped) break;
      } else if (asciiLower(optName) === 'include_if_exists') {
        if (!parseConfigFile(optValue, false, configFile, sourceLine, depth + 1, opts, state)) ok = false;
        if (state.stopped) break;
      } else if (asciiLower(optName) === 'include') {
        if (!parseConfigFile(optValue, true, configFile, sourceLine, depth + 1, opts, state)) ok = false;
        if (state.stopped) break;
      } else {
        state.items.push(
          new SettingItem(
            optName,
            optValue,
            configFile,
            sourceLine,
            posLine,
            nameCol,
            nameEndCol,
            valueCol,
            valueEndCol,
            rawValue,
            valueToken,
          ),
        );
      }
      if (token.kind === TokenKind.Eof) break;
      continue;
    }

    // parse_error:
    if (token.kind === TokenKind.Eol || token.kind === TokenKind.Eof) {
      const reported = lineNo - 1;
      const at =
        token.kind === TokenKind.Eol
          ? { line: lineNo - 2, col: token.start - previousLineStart(text, token.start) }
          : posOf(token.start);
      state.messages.push({
        kind: 'syntax',
        message: `syntax error in file "${pathToBinary(configFile)}" line ${reported}, near end of line`,
        file: configFile,
        line: reported,
        start: at,
        end: at,
      });
      recordError(state, 'syntax error', configFile, reported);
    } else {
      const tokText = cString(text.slice(token.start, token.end));
      state.messages.push({
        kind: 'syntax',
        message: `syntax error in file "${pathToBinary(configFile)}" line ${lineNo}, near token "${tokText}"`,
        file: configFile,
        line: lineNo,
        start: posOf(token.start),
        end: posOf(token.end),
      });
      recordError(state, 'syntax error', configFile, lineNo);
    }
    ok = false;
    errorCount++;
    if (errorCount >= MAX_SYNTAX_ERRORS) {
      state.messages.push({
        kind: 'syntax',
        message: `too many syntax errors found, abandoning file "${pathToBinary(configFile)}"`,
        file: configFile,
        line: null,
      });
      break;
    }
    // a running server reading the files for pg_file_settings stops at the first one (DEBUG level)
    if (opts.stopAtFirstSyntaxError) break;
    // resync to next end-of-line or EOF
    while (token.kind !== TokenKind.Eol && token.kind !== TokenKind.Eof) token = lex();
    if (token.kind === TokenKind.Eof) break;
  }
  return ok;
}

function previousLineStart(text: string, eolOffset: number): number {
  const p = text.lastIndexOf('\n', eolOffset - 1);
  return p + 1;
}

/** guc_name_compare folds ASCII A-Z only, independent of locale. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

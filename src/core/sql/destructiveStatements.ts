// Statements of a SQL file that destroy data a point-in-time recovery could bring back: DROP TABLE
// (IF EXISTS too), DROP SCHEMA, DROP DATABASE, TRUNCATE, DELETE and UPDATE without WHERE,
// ALTER TABLE ... DROP COLUMN. A CodeLens offers to create a restore point before each.
//
// The file is cut into statements at the semicolons PostgreSQL's lexer would see (not inside
// quotes, quoted identifiers, dollar quotes, comments or a BEGIN ATOMIC function body), then each
// statement is parsed on its own with pgsql-ast-parser: one statement the parser does not know
// does not hide the others. pgsql-ast-parser has no DROP SCHEMA / DROP DATABASE and lacks some
// DELETE / UPDATE forms (ONLY, USING) and TRUNCATE ONLY / name *, so those are recognised from their
// keywords when the parser refuses them (DROP SCHEMA / DATABASE and TRUNCATE must match their whole
// grammar). Statements inside a DO block or a function body get no lens: their text is a string to
// the statement that holds it, and when (if ever) they run is not visible in the file. Anything else that does not
// parse yields nothing, and nothing here throws.

import { parse, type Statement } from 'pgsql-ast-parser';

export type DestructiveKind =
  | 'drop-table'
  | 'drop-schema'
  | 'drop-database'
  | 'truncate'
  | 'delete-without-where'
  | 'update-without-where'
  | 'drop-column';

export interface DestructiveStatement {
  kind: DestructiveKind;
  description: string;
  /** 0-based line of the statement's first token (VS Code's Position.line) */
  line: number;
  /** 0-based UTF-16 column of that token (VS Code's Position.character) */
  character: number;
}

export interface StatementPiece {
  /** offset of the first token (after blanks and comments) */
  start: number;
  text: string;
  /** upper-cased words at the top level, for the keyword recognisers */
  words: string[];
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Cuts `sql` into statements at top-level semicolons. */
/** The index after the quoted text that opens at `start` (a doubled quote stands for itself; with
 * `backslashEscapes`, a backslash escapes the next character); the end of `sql` when unclosed. */
function afterQuoted(sql: string, start: number, quote: "'" | '"', backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    if (backslashEscapes && sql[i] === '\\') i += 2;
    else if (sql[i] === quote && sql[i + 1] === quote) i += 2;
    else if (sql[i] === quote) return i + 1;
    else i++;
  }
  return i + 1;
}

export function splitStatements(sql: string): StatementPiece[] {
  const pieces: StatementPiece[] = [];
  const n = sql.length;
  let i = 0;
  let pieceStart = -1; // offset of the first token of the current statement
  let words: string[] = [];
  let atomicDepth = 0; // inside BEGIN ATOMIC ... END of a CREATE FUNCTION/PROCEDURE body (psql's begin_depth)
  let parenDepth = 0;

  const finish = (end: number) => {
    if (pieceStart >= 0) pieces.push({ start: pieceStart, text: sql.slice(pieceStart, end), words });
    pieceStart = -1;
    words = [];
    atomicDepth = 0;
    parenDepth = 0;
  };
  const token = (at: number) => {
    if (pieceStart < 0) pieceStart = at;
  };
  // psql's heuristic (psqlscan.l): CREATE [OR REPLACE] FUNCTION|PROCEDURE, then BEGIN and CASE open,
  // END closes, at parenthesis depth 0
  const isRoutine = () =>
    words[0] === 'CREATE' &&
    (words[1] === 'FUNCTION' ||
      words[1] === 'PROCEDURE' ||
      (words[1] === 'OR' && words[2] === 'REPLACE' && (words[3] === 'FUNCTION' || words[3] === 'PROCEDURE')));

  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      // block comments nest in PostgreSQL
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '\\' && pieceStart < 0) {
      // a psql meta-command (\set, \c db, \i file) runs to the end of its line
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    token(i);
    if (c === ';') {
      if (atomicDepth > 0) {
        i++;
        continue;
      }
      finish(i);
      i++;
      continue;
    }
    if (c === "'") {
      // E'...' strings take backslash escapes; standard strings only ''
      const escapes = i > 0 && /[eE]/.test(sql[i - 1]!) && (i < 2 || !IDENT_CHAR.test(sql[i - 2]!));
      i = afterQuoted(sql, i, "'", escapes);
      continue;
    }
    if (c === '"') {
      i = afterQuoted(sql, i, '"', false);
      continue;
    }
    if (c === '$') {
      const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 200));
      if (m) {
        const tag = m[0];
        const close = sql.indexOf(tag, i + tag.length);
        i = close < 0 ? n : close + tag.length;
        continue;
      }
      i++;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < n && IDENT_CHAR.test(sql[j]!)) j++;
      const word = sql.slice(i, j).toUpperCase();
      if (parenDepth === 0) {
        words.push(word);
        if (isRoutine()) {
          if (word === 'BEGIN') atomicDepth++;
          else if (word === 'CASE' && atomicDepth > 0) atomicDepth++;
          else if (word === 'END' && atomicDepth > 0) atomicDepth--;
        }
      }
      i = j;
      continue;
    }
    if (c === '(') parenDepth++;
    else if (c === ')') parenDepth = Math.max(0, parenDepth - 1);
    i++;
  }
  finish(n);
  return pieces;
}

/** 0-based line and UTF-16 column of offsets, given in increasing order (one pass over the text). */
function positions(sql: string): (offset: number) => { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  let k = sql.indexOf('\n');
  return (offset) => {
    while (k >= 0 && k < offset) {
      line++;
      lineStart = k + 1;
      k = sql.indexOf('\n', k + 1);
    }
    return { line, character: offset - lineStart };
  };
}

interface QNameLike {
  name: string;
  schema?: string;
}

/** An identifier as it would be written: quoted unless it is a plain lower-case name. */
function ident(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function qname(q: QNameLike | undefined): string {
  if (!q) return '?';
  return q.schema ? `${ident(q.schema)}.${ident(q.name)}` : ident(q.name);
}

/** What makes one parsed statement destructive (a WITH's data-modifying parts count too). */
function classify(st: Statement): { kind: DestructiveKind; description: string } | null {
  switch (st.type) {
    case 'drop table':
      return {
        kind: 'drop-table',
        description: `DROP TABLE ${st.ifExists ? 'IF EXISTS ' : ''}${st.names.map(qname).join(', ')}${st.cascade === 'cascade' ? ' CASCADE' : ''}`,
      };
    case 'truncate table':
      return {
        kind: 'truncate',
        description: `TRUNCATE ${st.tables.map(qname).join(', ')}${st.cascade === 'cascade' ? ' CASCADE' : ''}: removes every row`,
      };
    case 'delete':
      return st.where
        ? null
        : {
            kind: 'delete-without-where',
            description: `DELETE FROM ${qname(st.from)} without WHERE: deletes every row`,
          };
    case 'update':
      return st.where
        ? null
        : { kind: 'update-without-where', description: `UPDATE ${qname(st.table)} without WHERE: changes every row` };
    case 'alter table': {
      const cols = st.changes
        .filter((c) => c.type === 'drop column')
        .map((c) => ident((c as { column: { name: string } }).column.name));
      if (cols.length === 0) return null;
      return { kind: 'drop-column', description: `ALTER TABLE ${qname(st.table)} DROP COLUMN ${cols.join(', ')}` };
    }
    case 'with':
      for (const b of st.bind) {
        const inner = classify(b.statement as Statement);
        if (inner) return inner;
      }
      return classify(st.in as Statement);
    default:
      return null;
  }
}

// Identifiers for the keyword recognisers: plain or "quoted", optionally qualified.
const NAME = String.raw`(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*|"(?:[^"]|"")+")`;
const NAMES = String.raw`${NAME}(?:\s*,\s*${NAME})*`;
const DROP_SCHEMA = new RegExp(
  String.raw`^DROP\s+SCHEMA\s+(IF\s+EXISTS\s+)?(${NAMES})(\s+(?:CASCADE|RESTRICT))?\s*$`,
  'i',
);
const DROP_DATABASE = new RegExp(
  String.raw`^DROP\s+DATABASE\s+(IF\s+EXISTS\s+)?(${NAME})(\s+(?:WITH\s*)?\(\s*FORCE\s*\))?\s*$`,
  'i',
);
// DELETE and UPDATE forms pgsql-ast-parser lacks (ONLY, USING, an alias): the target table is what counts
const QUALIFIED = String.raw`${NAME}(?:\s*\.\s*${NAME})?`;
const DELETE_FROM = new RegExp(String.raw`^DELETE\s+FROM\s+(?:ONLY\s+)?(${QUALIFIED})(?:\s*\*)?(?:\s|$)`, 'i');
// TRUNCATE [TABLE] [ONLY] name [*] [, ...] [RESTART | CONTINUE IDENTITY] [CASCADE | RESTRICT]: the parser lacks ONLY and *
const TRUNCATE_ITEM = String.raw`(?:ONLY\s+)?${QUALIFIED}(?:\s*\*)?`;
const TRUNCATE = new RegExp(
  String.raw`^TRUNCATE\s+(?:TABLE\s+)?(${TRUNCATE_ITEM}(?:\s*,\s*${TRUNCATE_ITEM})*)(?:\s+(?:RESTART|CONTINUE)\s+IDENTITY)?(\s+(?:CASCADE|RESTRICT))?\s*$`,
  'i',
);
const UPDATE_SET = new RegExp(
  String.raw`^UPDATE\s+(?:ONLY\s+)?(${QUALIFIED})(?:\s*\*)?(?:\s+(?:AS\s+)?${NAME})?\s+SET\s+\S`,
  'i',
);

/** The statement text without comments, for the keyword recognisers. */
function withoutComments(text: string): string {
  return text
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .trim();
}

/** The name as written, without blanks around a dot. */
function written(name: string): string {
  return name.replace(/\s*\.\s*/, '.');
}

function recogniseByKeywords(p: StatementPiece): { kind: DestructiveKind; description: string } | null {
  const text = withoutComments(p.text);
  // a WHERE at the top level (not in a sub-select) keeps DELETE and UPDATE from touching every row
  if (p.words[0] === 'DELETE' || p.words[0] === 'UPDATE') {
    if (p.words.includes('WHERE')) return null;
    const del = DELETE_FROM.exec(text);
    if (del)
      return {
        kind: 'delete-without-where',
        description: `DELETE FROM ${written(del[1]!)} without WHERE: deletes every row`,
      };
    const upd = UPDATE_SET.exec(text);
    if (upd)
      return {
        kind: 'update-without-where',
        description: `UPDATE ${written(upd[1]!)} without WHERE: changes every row`,
      };
    return null;
  }
  if (p.words[0] === 'TRUNCATE') {
    const t = TRUNCATE.exec(text);
    if (!t) return null;
    const items = t[1]!.split(/\s*,\s*/).map((i) => written(i.replace(/\s*\*$/, '')).replace(/^ONLY\s+/i, 'ONLY '));
    return {
      kind: 'truncate',
      description: `TRUNCATE ${items.join(', ')}${t[2] && /CASCADE/i.test(t[2]) ? ' CASCADE' : ''}: removes every row`,
    };
  }
  if (p.words[0] !== 'DROP' || (p.words[1] !== 'SCHEMA' && p.words[1] !== 'DATABASE')) return null;
  let m = DROP_SCHEMA.exec(text);
  if (m) {
    const names = m[2]!.split(/\s*,\s*/).join(', ');
    return {
      kind: 'drop-schema',
      description: `DROP SCHEMA ${m[1] ? 'IF EXISTS ' : ''}${names}${m[3] ? ` ${m[3].trim().toUpperCase()}` : ''}`,
    };
  }
  m = DROP_DATABASE.exec(text);
  if (m)
    return {
      kind: 'drop-database',
      description: `DROP DATABASE ${m[1] ? 'IF EXISTS ' : ''}${m[2]}${m[3] ? ' (FORCE)' : ''}`,
    };
  return null;
}

/**
 * Whether a statement can be destructive, from its top-level words alone: parsing is the slow part
 * (about a millisecond a statement), and a migration is mostly statements that cannot be.
 */
function candidate(words: readonly string[]): boolean {
  switch (words[0]) {
    case 'DROP':
      return words[1] === 'TABLE' || words[1] === 'SCHEMA' || words[1] === 'DATABASE';
    case 'TRUNCATE':
    case 'WITH':
      return true;
    case 'DELETE':
    case 'UPDATE':
      // a WHERE outside parentheses is the statement's own
      return !words.includes('WHERE');
    case 'ALTER':
      return words[1] === 'TABLE' && words.includes('DROP');
    default:
      return false;
  }
}

export function findDestructiveStatements(sql: string): DestructiveStatement[] {
  if (typeof sql !== 'string' || sql === '') return [];
  const found: DestructiveStatement[] = [];
  let pieces: StatementPiece[];
  try {
    pieces = splitStatements(sql);
  } catch {
    return [];
  }
  const at = positions(sql);
  for (const p of pieces) {
    if (!candidate(p.words)) continue;
    let hit: { kind: DestructiveKind; description: string } | null = null;
    try {
      const statements = parse(p.text);
      for (const st of statements) {
        hit = classify(st);
        if (hit) break;
      }
    } catch {
      try {
        hit = recogniseByKeywords(p);
      } catch {
        hit = null;
      }
    }
    if (hit) found.push({ ...hit, ...at(p.start) });
  }
  return found;
}

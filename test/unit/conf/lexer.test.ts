import { strict as assert } from 'node:assert';

import { deescapeQuotedString, Lexer, TokenKind } from '../../../src/core/conf/lexer';

function lex(s: string): Array<[TokenKind, string]> {
  const l = new Lexer(s);
  const out: Array<[TokenKind, string]> = [];
  for (;;) {
    const t = l.next();
    if (t.kind === TokenKind.Eof) return out;
    out.push([t.kind, s.slice(t.start, t.end)]);
  }
}

describe('lexer (guc-file.l)', () => {
  it('splits a plain line', () => {
    assert.deepEqual(lex('wal_level = replica # c\n'), [
      [TokenKind.Id, 'wal_level'],
      [TokenKind.Equals, '='],
      [TokenKind.Id, 'replica'],
      [TokenKind.Eol, '\n'],
    ]);
  });
  it('takes the longest match, and the first rule on a tie', () => {
    assert.deepEqual(lex('a.b'), [[TokenKind.QualifiedId, 'a.b']]);
    assert.deepEqual(lex('a.b.c'), [[TokenKind.UnquotedString, 'a.b.c']]);
    assert.deepEqual(lex('conf.d/x'), [[TokenKind.UnquotedString, 'conf.d/x']]);
    assert.deepEqual(lex('abc'), [[TokenKind.Id, 'abc']]);
  });
  it('reads numbers like flex: units glued, 0x lower case only, reals', () => {
    assert.deepEqual(lex('5min'), [[TokenKind.Integer, '5min']]);
    assert.deepEqual(lex('0x1Fkb'), [[TokenKind.Integer, '0x1Fkb']]);
    assert.deepEqual(lex('0X1F'), [
      [TokenKind.Integer, '0X'],
      [TokenKind.Integer, '1F'],
    ]);
    assert.deepEqual(lex('1.5GB'), [
      [TokenKind.Real, '1.5'],
      [TokenKind.Id, 'GB'],
    ]);
    assert.deepEqual(lex('1e3'), [
      [TokenKind.Integer, '1e'],
      [TokenKind.Integer, '3'],
    ]);
    assert.deepEqual(lex('-.5e-3'), [[TokenKind.Real, '-.5e-3']]);
    assert.deepEqual(lex('.'), [[TokenKind.Real, '.']]);
    assert.deepEqual(lex('-'), [[TokenKind.Error, '-']]);
  });
  it('reads quoted strings with doubled quotes and backslashes, never across a newline', () => {
    assert.deepEqual(lex("'it''s'"), [[TokenKind.String, "'it''s'"]]);
    assert.deepEqual(lex("'a\\'b'"), [[TokenKind.String, "'a\\'b'"]]);
    assert.deepEqual(lex("'open\n"), [
      [TokenKind.Error, "'"],
      [TokenKind.Id, 'open'],
      [TokenKind.Eol, '\n'],
    ]);
  });
  it('treats CR as blank, form feed and % as errors, bytes >= 0x80 as letters', () => {
    assert.deepEqual(lex('a\r\n'), [
      [TokenKind.Id, 'a'],
      [TokenKind.Eol, '\n'],
    ]);
    assert.deepEqual(lex('\f%'), [
      [TokenKind.Error, '\f'],
      [TokenKind.Error, '%'],
    ]);
    assert.deepEqual(lex('x\xc2\xa0'), [[TokenKind.Id, 'x\xc2\xa0']]);
  });
  it('de-escapes like DeescapeQuotedString', () => {
    assert.equal(deescapeQuotedString("'it''s'"), "it's");
    assert.equal(deescapeQuotedString("'C:\\new\\data'"), 'C:\newdata');
    assert.equal(deescapeQuotedString("'\\101\\7'"), 'A\x07');
    assert.equal(deescapeQuotedString("'\\\\server'"), '\\server');
    assert.equal(deescapeQuotedString("'a\\'b'"), "a'b");
  });
});

// issue 15: flex backs up to the last accepting state and rescans, so PostgreSQL itself takes
// quadratic time on a line of escaped quotes (100 KB: 36 s, 200 KB: 162 s on a real server); the
// editor lexes on every keystroke, so this port must stay linear.
describe('lexer: linear on hostile lines (issue 15)', () => {
  const STRING = /'(?:[^'\\\n]|\\[^\n]|'')*'/y;

  /** The STRING token at `p` per the regular expression of guc-file.l (independent of the Lexer). */
  function stringAt(s: string, p: number): string | null {
    STRING.lastIndex = p;
    const m = STRING.exec(s);
    return m ? m[0] : null;
  }

  it('an unterminated line of 200,000 escaped quotes: every quote is an error token, in one pass', () => {
    const n = 200_000;
    const text = "x = '" + "\\'".repeat(n);
    const l = new Lexer(text);
    const kinds = new Map<string, number>();
    let count = 0;
    for (let t = l.next(); t.kind !== TokenKind.Eof; t = l.next()) {
      count++;
      const key = `${t.kind}:${text.slice(t.start, t.end)}`;
      kinds.set(key, (kinds.get(key) ?? 0) + 1);
    }
    assert.equal(count, 3 + 2 * n);
    assert.equal(kinds.get(`${TokenKind.Error}:'`), n + 1);
    assert.equal(kinds.get(`${TokenKind.Error}:\\`), n);
  });

  it('the same quoted strings as the grammar on random lines of quotes, backslashes and newlines', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = ["'", "'", '\\', 'a', '\n', ' '];
    for (let run = 0; run < 3000; run++) {
      let s = '';
      const len = 1 + Math.floor(rnd() * 24);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      const l = new Lexer(s);
      for (let t = l.next(); t.kind !== TokenKind.Eof; t = l.next()) {
        if (s[t.start] !== "'") continue;
        const expected = stringAt(s, t.start);
        const got = t.kind === TokenKind.String ? s.slice(t.start, t.end) : null;
        assert.equal(got, expected, `in ${JSON.stringify(s)} at ${t.start}`);
      }
    }
  });
});

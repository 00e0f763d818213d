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

// Token recognition as /bin/sh does it: operators, quoting, expansions, placeholders kept in words.
import { strict as assert } from 'node:assert';

import type { ShellWord } from '../../../src/core/shell/shellAst';
import { lexShell, type ShellToken } from '../../../src/core/shell/shellLexer';

function kinds(text: string): string[] {
  return lexShell(text)
    .tokens.filter((t) => t.kind !== 'eof')
    .map((t: ShellToken) =>
      t.kind === 'word'
        ? `w:${t.word.raw}`
        : t.kind === 'op'
          ? `op:${t.op}`
          : t.kind === 'ioNumber'
            ? `io:${t.fd}`
            : t.kind,
    );
}

function words(text: string): ShellWord[] {
  return lexShell(text).tokens.flatMap((t) => (t.kind === 'word' ? [t.word] : []));
}

function word(text: string): ShellWord {
  const ws = words(text);
  assert.equal(ws.length, 1, `one word in ${JSON.stringify(text)}`);
  return ws[0];
}

describe('shell lexer', () => {
  describe('operators and words', () => {
    const cases: Array<[string, string[]]> = [
      ['cp %p /a/%f', ['w:cp', 'w:%p', 'w:/a/%f']],
      ['test ! -f /a/%f&&cp %p /a/%f', ['w:test', 'w:!', 'w:-f', 'w:/a/%f', 'op:&&', 'w:cp', 'w:%p', 'w:/a/%f']],
      ['a||b|c;d&e', ['w:a', 'op:||', 'w:b', 'op:|', 'w:c', 'op:;', 'w:d', 'op:&', 'w:e']],
      ['a;;b', ['w:a', 'op:;;', 'w:b']],
      ['(a)', ['op:(', 'w:a', 'op:)']],
      ['a >>b <c <>d >|e', ['w:a', 'op:>>', 'w:b', 'op:<', 'w:c', 'op:<>', 'w:d', 'op:>|', 'w:e']],
      ['a 2>&1', ['w:a', 'io:2', 'op:>&', 'w:1']],
      ['a 2>/dev/null', ['w:a', 'io:2', 'op:>', 'w:/dev/null']],
      ['a 2 >x', ['w:a', 'w:2', 'op:>', 'w:x']],
      ["a '2'>x", ['w:a', "w:'2'", 'op:>', 'w:x']],
      ['a\nb', ['w:a', 'newline', 'w:b']],
      ['a # comment ; not a token\nb', ['w:a', 'newline', 'w:b']],
      ['a#b', ['w:a#b']],
      ['cp a \\\n  b', ['w:cp', 'w:a', 'w:b']],
      ['cp a\\\nb', ['w:cp', 'w:a\\\nb']],
      ['echo {a,b} } {', ['w:echo', 'w:{a,b}', 'w:}', 'w:{']],
      ['', []],
      ['   \t ', []],
    ];
    for (const [text, expected] of cases) {
      it(JSON.stringify(text), () => assert.deepEqual(kinds(text), expected));
    }
  });

  describe('word values after quote removal', () => {
    const cases: Array<[string, string | null]> = [
      ['%p', '%p'],
      ['"%p"', '%p'],
      ["'%p'", '%p'],
      ['/a/"%f"', '/a/%f'],
      ['"C:\\\\server\\\\archivedir\\\\%f"', 'C:\\server\\archivedir\\%f'],
      ['"C:\\server\\%f"', 'C:\\server\\%f'],
      ["'a\\b'", 'a\\b'],
      ['a\\ b', 'a b'],
      ['\\cp', 'cp'],
      ['"a\\"b"', 'a"b'],
      ['"\\$x"', '$x'],
      ["'$x'", '$x'],
      ['a$', 'a$'],
      ['$/x', '$/x'],
      ['%%', '%%'],
      ['[', '['],
      [']', ']'],
      ['[[', '[['],
      ['$x', null],
      ['"$x"', null],
      ['${x}', null],
      ['$(date)', null],
      ['`date`', null],
      ['$((1+2))', null],
      ['/a/*', null],
      ['/a/?', null],
      ['/a/[0-9]', null],
      ['~/archive', null],
      ["$'x'", null],
    ];
    for (const [text, value] of cases) {
      it(`${text} -> ${JSON.stringify(value)}`, () => assert.equal(word(text).value, value));
    }
  });

  it('flags expansions and globs', () => {
    assert.equal(word('$HOME/x').flags.parameter, true);
    assert.equal(word('"${A:-b}"').flags.parameter, true);
    assert.equal(word('/a/$(hostname)/%f').flags.commandSubstitution, true);
    assert.equal(word('/a/`hostname`/%f').flags.commandSubstitution, true);
    assert.equal(word('$((1+2))').flags.arithmetic, true);
    assert.equal(word('*.gz').flags.glob, true);
    assert.equal(word('"*.gz"').flags.glob, false);
    assert.equal(word('"*.gz"').value, '*.gz');
    assert.equal(word('~x').flags.tilde, true);
    assert.equal(word('a~x').flags.tilde, false);
    assert.equal(word('"%p"').flags.quoted, true);
    assert.equal(word('%p').flags.quoted, false);
  });

  it('keeps expansions verbatim in text', () => {
    assert.equal(word('/a/$(hostname)/"%f"').text, '/a/$(hostname)/%f');
    assert.equal(word('"${DIR}/%f"').text, '${DIR}/%f');
  });

  it('reads nested substitutions as one word', () => {
    const w = word('"$(basename "$(dirname "%p")")"x');
    assert.equal(w.raw, '"$(basename "$(dirname "%p")")"x');
    assert.equal(w.flags.commandSubstitution, true);
    assert.deepEqual(kinds('echo $(a | b; c) d'), ['w:echo', 'w:$(a | b; c)', 'w:d']);
    assert.deepEqual(kinds('echo ${x:-a b} d'), ['w:echo', 'w:${x:-a b}', 'w:d']);
    assert.deepEqual(kinds("echo $(echo ')') d"), ['w:echo', "w:$(echo ')')", 'w:d']);
  });

  it('attaches PostgreSQL placeholders to words by offset (%%p is not %p)', () => {
    assert.deepEqual(word('%p').placeholders, ['p']);
    assert.deepEqual(word('/a/%f.%r').placeholders, ['f', 'r']);
    assert.deepEqual(word('%%p').placeholders, []);
    assert.deepEqual(word('100%%').placeholders, []);
    assert.deepEqual(word("'%p'").placeholders, ['p']);
    assert.deepEqual(word('$(basename %p)').placeholders, ['p']);
    assert.deepEqual(word('%x').placeholders, []);
    const ws = words('cp %p /a/%f');
    assert.deepEqual(
      ws.map((w) => w.placeholders),
      [[], ['p'], ['f']],
    );
  });

  it('records offsets', () => {
    const ws = words('cp  "%p"  /a/%f');
    assert.deepEqual(
      ws.map((w) => [w.start, w.end]),
      [
        [0, 2],
        [4, 8],
        [10, 15],
      ],
    );
  });

  describe('errors', () => {
    const cases: Array<[string, string, number]> = [
      ["cp '%p /a", 'unterminated single quote', 3],
      ['cp "%p /a', 'unterminated double quote', 3],
      ['cp $(date /a', 'unterminated `$(`: no matching `)`', 3],
      ['cp ${x /a', 'unterminated `${`: no matching `}`', 3],
      ['cp `date /a', 'unterminated backquote', 3],
      ['cp "`date" /a', 'unterminated backquote', 4],
    ];
    for (const [text, message, start] of cases) {
      it(`${text} -> ${message}`, () => {
        const r = lexShell(text);
        assert.deepEqual(
          r.errors.map((e) => [e.message, e.start, e.end]),
          [[message, start, text.length]],
        );
      });
    }
    it('still returns the word up to the end of the text', () => {
      const ws = words("cp '%p /a");
      assert.deepEqual(
        ws.map((w) => w.value),
        ['cp', '%p /a'],
      );
    });
  });

  describe('bash-only syntax', () => {
    it('reads &> as & then > (dash backgrounds the command) and warns', () => {
      const r = lexShell('cp %p /a/%f &>/dev/null');
      assert.deepEqual(kinds('cp a b &>/dev/null'), ['w:cp', 'w:a', 'w:b', 'op:&', 'op:>', 'w:/dev/null']);
      assert.deepEqual(
        r.warnings.map((w) => w.code),
        ['bash-redirect-both'],
      );
    });
    it('warns on |& and <<<', () => {
      assert.deepEqual(
        lexShell('a |& b').warnings.map((w) => w.code),
        ['bash-pipe-both'],
      );
      assert.deepEqual(
        lexShell('a <<< b').warnings.map((w) => w.code),
        ['bash-here-string'],
      );
    });
    it("warns on $'...'", () => {
      assert.deepEqual(
        lexShell("echo $'\\n'").warnings.map((w) => w.code),
        ['ansi-c-quote'],
      );
    });
  });

  describe('here-documents', () => {
    it('reads the body after the newline and keeps tokens after it', () => {
      const r = lexShell('cat <<EOF > /a/x\nline1 ; not code\nEOF\necho after');
      assert.deepEqual(kinds('cat <<EOF > /a/x\nline1 ; not code\nEOF\necho after'), [
        'w:cat',
        'op:<<',
        'w:EOF',
        'op:>',
        'w:/a/x',
        'newline',
        'w:echo',
        'w:after',
      ]);
      const t = r.tokens.find((x) => x.kind === 'word' && x.word.raw === 'EOF');
      assert.ok(t && t.kind === 'word');
      assert.deepEqual(
        t.hereDocument && {
          text: t.hereDocument.text,
          terminated: t.hereDocument.terminated,
          quoted: t.hereDocument.quoted,
        },
        {
          text: 'line1 ; not code\n',
          terminated: true,
          quoted: false,
        },
      );
    });
    it('strips tabs for <<- and notices quoted delimiters', () => {
      const r = lexShell("cat <<-'E'\n\tx\n\tE\n");
      const t = r.tokens.find((x) => x.kind === 'word' && x.word.raw === "'E'");
      assert.ok(t && t.kind === 'word' && t.hereDocument);
      assert.equal(t.hereDocument.text, 'x\n');
      assert.equal(t.hereDocument.quoted, true);
      assert.equal(t.hereDocument.terminated, true);
    });
    it('warns when the body runs to the end of the text', () => {
      const r = lexShell('cat <<EOF\nabc');
      assert.deepEqual(
        r.warnings.map((w) => w.code),
        ['heredoc-at-eof'],
      );
      assert.deepEqual(r.errors, []);
    });
  });
});

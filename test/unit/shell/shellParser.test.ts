// The POSIX grammar: lists, and-or lists, pipelines, compound commands, reserved words only in
// command position, and error recovery that returns what it could.
import { strict as assert } from 'node:assert';

import type { ShellCommand, ShellList, ShellRedirect, SimpleCommand } from '../../../src/core/shell/shellAst';
import { MAX_DEPTH, parseShell } from '../../../src/core/shell/shellParser';

function redirect(r: ShellRedirect): string {
  return `${r.fd ?? ''}${r.op}${r.target?.raw ?? '?'}`;
}

function cmd(c: ShellCommand): string {
  const redirs = (rs: readonly ShellRedirect[]) => (rs.length ? ' ' + rs.map(redirect).join(' ') : '');
  switch (c.type) {
    case 'SimpleCommand':
      return `[${[...c.assignments.map((a) => a.word.raw), ...c.words.map((w) => w.raw), ...c.redirects.map(redirect)].join(' ')}]`;
    case 'Subshell':
      return `(${show(c.body)})${redirs(c.redirects)}`;
    case 'BraceGroup':
      return `{${show(c.body)}}${redirs(c.redirects)}`;
    case 'If':
      return (
        c.branches.map((b, i) => `${i === 0 ? 'if' : 'elif'}(${show(b.condition)}){${show(b.body)}}`).join('') +
        (c.elseBody ? `else{${show(c.elseBody)}}` : '') +
        redirs(c.redirects)
      );
    case 'Loop':
      return `${c.kind}(${show(c.condition)}){${show(c.body)}}${redirs(c.redirects)}`;
    case 'For':
      return `for ${c.variable?.raw ?? '?'}${c.items ? ' in ' + c.items.map((w) => w.raw).join(' ') : ''}{${show(c.body)}}${redirs(c.redirects)}`;
    case 'Case':
      return `case ${c.subject?.raw ?? '?'}{${c.items.map((it) => `${it.patterns.map((p) => p.raw).join('|')}:${it.body ? show(it.body) : ''}`).join(';;')}}${redirs(c.redirects)}`;
    case 'FunctionDefinition':
      return `${c.name.raw}()${c.body ? cmd(c.body) : '?'}`;
  }
}

function show(list: ShellList | null): string {
  if (list === null) return '<null>';
  return list.items
    .map((it) => {
      const ao = it.andOr.pipelines
        .map(
          (p, i) =>
            (i > 0 ? ` ${it.andOr.operators[i - 1]} ` : '') + (p.negated ? '! ' : '') + p.commands.map(cmd).join(' | '),
        )
        .join('');
      return ao + (it.separator === '&' ? ' &' : '');
    })
    .join('; ');
}

function ok(text: string): string {
  const r = parseShell(text);
  assert.deepEqual(r.errors, [], `no errors for ${JSON.stringify(text)}`);
  return show(r.ast);
}

describe('shell parser', () => {
  describe('valid command lines', () => {
    const cases: Array<[string, string]> = [
      ['cp %p /mnt/server/archivedir/%f', '[cp %p /mnt/server/archivedir/%f]'],
      [
        'test ! -f /mnt/server/archivedir/%f && cp %p /mnt/server/archivedir/%f',
        '[test ! -f /mnt/server/archivedir/%f] && [cp %p /mnt/server/archivedir/%f]',
      ],
      ['test ! -f /a/%f&&cp %p /a/%f', '[test ! -f /a/%f] && [cp %p /a/%f]'],
      ['cp %p /a/%f||true', '[cp %p /a/%f] || [true]'],
      ['cp %p /a/%f ;echo ok', '[cp %p /a/%f]; [echo ok]'],
      ['gzip < %p | aws s3 cp - s3://b/%f', '[gzip <%p] | [aws s3 cp - s3://b/%f]'],
      ['gzip < %p > /archive/%f.gz', '[gzip <%p >/archive/%f.gz]'],
      ['cp -i %p /a/%f </dev/null', '[cp -i %p /a/%f <"/dev/null"]'.replace('"/dev/null"', '/dev/null')],
      ['a 2>&1 >/dev/null 2>>log', '[a 2>&1 >/dev/null 2>>log]'],
      ['>/tmp/x', '[>/tmp/x]'],
      ['X=1 Y="a b" cmd X=2', '[X=1 Y="a b" cmd X=2]'],
      ['X=1', '[X=1]'],
      ['cp a b &', '[cp a b] &'],
      ['cp a b & echo x', '[cp a b] &; [echo x]'],
      ['a;b\nc', '[a]; [b]; [c]'],
      ['a &&\n b ||\n c |\n d', '[a] && [b] || [c] | [d]'],
      ['! test -f x && cp a x', '! [test -f x] && [cp a x]'],
      ['(cd /a && cp %p .) || true', '([cd /a] && [cp %p .]) || [true]'],
      ['{ cp a b; } || :', '{[cp a b]} || [:]'],
      ['{ cp a b\n}', '{[cp a b]}'],
      ['{ cp a b; } > /dev/null 2>&1', '{[cp a b]} >/dev/null 2>&1'],
      ['if test -f x; then cmp -s a x; else cp a x; fi', 'if([test -f x]){[cmp -s a x]}else{[cp a x]}'],
      [
        'if [ -f /a/%f ]; then cmp -s %p /a/%f; else cp %p /a/%f.tmp && sync /a/%f.tmp && mv /a/%f.tmp /a/%f; fi',
        'if([[ -f /a/%f ]]){[cmp -s %p /a/%f]}else{[cp %p /a/%f.tmp] && [sync /a/%f.tmp] && [mv /a/%f.tmp /a/%f]}',
      ],
      ['if a; then b; elif c; then d; elif e; then f; fi', 'if([a]){[b]}elif([c]){[d]}elif([e]){[f]}'],
      ['if a\nthen b\nfi', 'if([a]){[b]}'],
      ['while read l; do echo $l; done < f', 'while([read l]){[echo $l]} <f'],
      ['until a; do b; done', 'until([a]){[b]}'],
      ['for f in a b c; do cp $f /x; done', 'for f in a b c{[cp $f /x]}'],
      ['for f\ndo echo $f\ndone', 'for f{[echo $f]}'],
      ['for f; do echo; done', 'for f{[echo]}'],
      [
        'case %f in *.history) cp %p /h/%f;; *) cp %p /a/%f;; esac',
        'case %f{*.history:[cp %p /h/%f];;*:[cp %p /a/%f]}',
      ],
      ['case x in (a|b) echo;; esac', 'case x{a|b:[echo]}'],
      ['case x in a) ;; esac', 'case x{a:}'],
      ['case x in a) echo\nesac', 'case x{a:[echo]}'],
      ['f() { cp "$1" /a; }; f %p', 'f(){[cp "$1" /a]}; [f %p]'],
      ['f() echo x', 'f()[echo x]'],
      ['echo in', '[echo in]'],
      ['cp %p /a/$(date +%%Y)/%f', '[cp %p /a/$(date +%%Y)/%f]'],
      ['cp %p "/a/$(hostname -s)/%f"', '[cp %p "/a/$(hostname -s)/%f"]'],
      ['echo `then`', '[echo `then`]'],
      ['echo if then fi', '[echo if then fi]'],
      ['echo }', '[echo }]'],
      ['[[ ! -f /a/%f ]] && cp %p /a/%f', '[[[ ! -f /a/%f ]]] && [cp %p /a/%f]'],
      ['copy "%p" "C:\\\\server\\\\archivedir\\\\%f"', '[copy "%p" "C:\\\\server\\\\archivedir\\\\%f"]'],
      ['pgbackrest --stanza=main archive-push %p', '[pgbackrest --stanza=main archive-push %p]'],
      ['cat <<EOF > /a/x\nbody\nEOF\necho ok', '[cat <<EOF >/a/x]; [echo ok]'],
      ['a # c ; d', '[a]'],
    ];
    for (const [text, expected] of cases) {
      it(JSON.stringify(text), () => assert.equal(ok(text), expected));
    }
  });

  it('returns null for empty, blank and comment-only input', () => {
    for (const t of ['', '   ', '\n\n', '# just a comment']) {
      const r = parseShell(t);
      assert.equal(r.ast, null);
      assert.deepEqual(r.errors, []);
    }
  });

  it('keeps spans and assignments', () => {
    const r = parseShell('  X=1 cp %p /a/%f  ');
    const list = r.ast!;
    assert.deepEqual([list.start, list.end], [2, 17]);
    const c = list.items[0].andOr.pipelines[0].commands[0] as SimpleCommand;
    assert.deepEqual([c.start, c.end], [2, 17]);
    assert.equal(c.assignments[0].name, 'X');
    assert.equal(c.assignments[0].value, '1');
    assert.deepEqual(
      c.words.map((w) => w.raw),
      ['cp', '%p', '/a/%f'],
    );
  });

  it('records the separator of each item', () => {
    const r = parseShell('a; b & c\nd');
    assert.deepEqual(
      r.ast!.items.map((i) => i.separator),
      [';', '&', '\n', null],
    );
  });

  it('keeps here-document bodies on the redirect', () => {
    const r = parseShell("cat <<'EOF' >%p\n$not expanded\nEOF\n");
    const c = r.ast!.items[0].andOr.pipelines[0].commands[0] as SimpleCommand;
    assert.equal(c.redirects[0].hereDocument?.text, '$not expanded\n');
    assert.equal(c.redirects[0].hereDocument?.quoted, true);
  });

  it('warns about [[ under /bin/sh', () => {
    assert.deepEqual(
      parseShell('[[ ! -f x ]] && cp a x').warnings.map((w) => w.code),
      ['bash-test-keyword'],
    );
  });

  describe('syntax errors (sh refuses the line) with partial results', () => {
    const cases: Array<[string, string[], string]> = [
      [';;;', ['syntax error: unexpected `;;`', 'syntax error: unexpected `;`'], '<null>'],
      ['&& &&', ['syntax error: unexpected `&&`', 'syntax error: unexpected `&&`'], '<null>'],
      ['cp a b &&', ['expected a command after `&&`, found end of text'], '[cp a b]'],
      ['cp a b | ', ['expected a command after `|`, found end of text'], '[cp a b]'],
      [
        'cp a b && && c',
        ['expected a command after `&&`, found `&&`', 'syntax error: unexpected `&&`'],
        '[cp a b]; [c]',
      ],
      [
        '{ cp a b }',
        ['expected `}` to close the `{` (a `;` or newline must come before it), found end of text'],
        '{[cp a b }]}',
      ],
      ['if a; then b', ['expected `fi` to close the `if`, found end of text'], 'if([a]){[b]}'],
      ['if a; fi', ['expected `then` after the condition, found `fi`'], 'if([a]){}'],
      ['cp a b; fi', ['syntax error: unexpected `fi`'], '[cp a b]'],
      ['cp a b )', ['syntax error: unexpected `)`'], '[cp a b]'],
      ['(cp a b', ['expected `)` to close the `(`, found end of text'], '([cp a b])'],
      ['( )', ['empty `( )`: a subshell needs at least one command'], '()'],
      ['cp a >', ['expected a file name after `>`, found end of text'], '[cp a >?]'],
      ['cp a > ; b', ['expected a file name after `>`, found `;`'], '[cp a >?]; [b]'],
      ['while a; do b', ['expected `done` to close the `while`, found end of text'], 'while([a]){[b]}'],
      ['case x in a) b', ['expected `esac` to close the `case`, found end of text'], 'case x{a:[b]}'],
      ['(a) b', ['syntax error: unexpected `b`'], '([a]); [b]'],
      ['!', ['expected a command after `!`, found end of text'], '<null>'],
      ["cp '%p /a", ['unterminated single quote'], "[cp '%p /a]"],
      ['in', ['syntax error: unexpected `in`'], '<null>'],
      ['a | ! b', ['syntax error: unexpected `!` (only one `!`, at the start of a pipeline)'], '[a] | [b]'],
      ['! ! a', ['syntax error: unexpected `!` (only one `!`, at the start of a pipeline)'], '! [a]'],
      ['cp a || in', ['expected a command after `||`, found `in`', 'syntax error: unexpected `in`'], '[cp a]'],
      ['cp %p /a/$(case)/%f', ['expected a word after `case`, found end of text'], '[cp %p /a/$(case)/%f]'],
      [
        'echo "$(if true; then x)"',
        ['expected `fi` to close the `if`, found end of text'],
        '[echo "$(if true; then x)"]',
      ],
      ['f()', ['expected a body for `f()`, found end of text'], 'f()?'],
    ];
    for (const [text, messages, partial] of cases) {
      it(JSON.stringify(text), () => {
        const r = parseShell(text);
        assert.deepEqual(
          r.errors.map((e) => e.message),
          messages,
        );
        assert.equal(show(r.ast), partial);
        for (const e of r.errors)
          assert.ok(e.start >= 0 && e.end <= text.length && e.start <= e.end, `span ${e.start}-${e.end}`);
      });
    }
  });

  it('reports errors inside $( ) at their offset in the whole text', () => {
    const text = 'cp %p /a/$(date; fi)/%f';
    const r = parseShell(text);
    assert.deepEqual(
      r.errors.map((e) => [e.message, text.slice(e.start, e.end)]),
      [['syntax error: unexpected `fi`', 'fi']],
    );
  });

  it('gives the offset of an unbalanced quote', () => {
    const text = 'test ! -f /a/%f && cp "%p /a/%f';
    const r = parseShell(text);
    assert.deepEqual(
      r.errors.map((e) => [e.message, e.start]),
      [['unterminated double quote', text.indexOf('"')]],
    );
  });

  it(`stops at ${MAX_DEPTH} levels of nesting without overflowing the stack`, () => {
    const deep = '('.repeat(100000) + 'a' + ')'.repeat(100000);
    const r = parseShell(deep);
    assert.ok(r.errors.some((e) => e.message.startsWith(`commands nested more than ${MAX_DEPTH} deep`)));
    const braces = '{ '.repeat(50000) + 'a; ' + '}; '.repeat(50000);
    assert.ok(parseShell(braces).errors.length > 0);
    const ok50 = '('.repeat(50) + 'a' + ')'.repeat(50);
    assert.deepEqual(parseShell(ok50).errors, []);
  });
});

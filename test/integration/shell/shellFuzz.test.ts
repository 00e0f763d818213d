// parseShell and every analysis helper must never throw or hang, whatever the setting holds.
import { strict as assert } from 'node:assert';

import fc from 'fast-check';

import {
  alwaysSucceedsReason,
  canExitNonZero,
  changesDirectory,
  commandName,
  copyTargets,
  existenceGuards,
  hasDurableWrite,
  invokesScriptOnly,
  knownArchivingTool,
  lastStatusIsPipeline,
  placeholders,
  simpleCommands,
} from '../../../src/core/shell/commandAnalysis';
import { parseShell } from '../../../src/core/shell/shellParser';

const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);

function analyseAll(text: string): void {
  const r = parseShell(text);
  for (const e of r.errors) {
    assert.ok(e.message.length > 0);
    assert.ok(
      e.start >= 0 && e.start <= e.end && e.end <= text.length,
      `error span ${e.start}-${e.end} of ${text.length}`,
    );
  }
  const ast = r.ast;
  if (ast) assert.ok(ast.start >= 0 && ast.end <= text.length);
  canExitNonZero(ast);
  alwaysSucceedsReason(ast);
  lastStatusIsPipeline(ast);
  changesDirectory(ast);
  existenceGuards(ast);
  copyTargets(ast);
  hasDurableWrite(ast);
  knownArchivingTool(ast);
  invokesScriptOnly(ast);
  placeholders(text);
  for (const { command } of simpleCommands(ast)) {
    commandName(command);
    for (const w of command.words) assert.equal(text.slice(w.start, w.end), w.raw);
  }
}

// fragments that exercise the grammar far more than random characters do
const fragment = fc.constantFrom(
  ' ',
  ' ',
  '\t',
  '\n',
  ';',
  '&',
  '&&',
  '||',
  '|',
  '!',
  '(',
  ')',
  '{',
  '}',
  ';;',
  '<',
  '>',
  '>>',
  '2>&1',
  '<<',
  '<<-',
  'EOF',
  '\\',
  '\\\n',
  "'",
  '"',
  '`',
  '$',
  '$(',
  '${',
  '$((',
  '#',
  '*',
  '?',
  '[',
  ']',
  '~',
  '=',
  'X=1',
  '%p',
  '%f',
  '%r',
  '%%',
  '%',
  'if',
  'then',
  'elif',
  'else',
  'fi',
  'while',
  'until',
  'do',
  'done',
  'for',
  'in',
  'case',
  'esac',
  'f()',
  'cp',
  'mv',
  'test',
  'true',
  ':',
  'exit',
  '0',
  'set',
  '-e',
  '-o',
  'pipefail',
  'cd',
  'sync',
  'echo',
  'gzip',
  'aws',
  's3',
  '-',
  '/a/',
  'x',
  'env',
  'sudo',
  '-u',
  'nice',
  'timeout',
  '10',
  'dd',
  'of=',
  'pgbackrest',
  'archive-push',
);

describe('shell parser fuzz', function () {
  this.timeout(120000);

  it(`never throws on ${RUNS} arbitrary strings`, () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (s) => {
        analyseAll(s);
      }),
      { numRuns: RUNS, seed: 20240607 },
    );
  });

  it(`never throws on ${RUNS} strings of shell fragments`, () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 60 }), (parts) => {
        analyseAll(parts.join(''));
      }),
      { numRuns: RUNS, seed: 7 },
    );
  });

  describe('garbage', () => {
    const garbage = [
      '',
      ';;;',
      '&& &&',
      '|||',
      ')))(((',
      '}}}{{{',
      'fi fi fi',
      'then',
      'done; esac; }',
      'if',
      'if if if',
      'case',
      'case x',
      'case x in',
      'for',
      'for 1 in',
      'while',
      "'",
      '"',
      '`',
      '$(',
      '${',
      '$((',
      '\\',
      '<',
      '2>',
      '<<',
      'a <<',
      '%',
      '\u0000\u0001\uffff',
      '\ud800',
      'f() f() f()',
      '! ! ! !',
      'cp %p /a/%f |& tee log',
    ];
    for (const g of garbage) it(JSON.stringify(g), () => analyseAll(g));
  });

  it('handles 10,000-character inputs', () => {
    analyseAll('x'.repeat(10000));
    analyseAll('cp %p /a/%f && '.repeat(700) + 'true');
    analyseAll('a | '.repeat(2500) + 'b');
    analyseAll("'".repeat(10001));
    analyseAll('$('.repeat(5000));
    analyseAll('if a; then '.repeat(1000));
    analyseAll('{ '.repeat(5000));
    analyseAll('\\'.repeat(10001));
  });

  it('stays linear on large inputs', () => {
    const time = (text: string): number => {
      const t0 = process.hrtime.bigint();
      analyseAll(text);
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    const unit = 'test ! -f /a/%f && cp %p /a/%f || { echo "fail $(date)" >&2; exit 1; }\n';
    time(unit.repeat(100)); // warm up
    const small = time(unit.repeat(250));
    const large = time(unit.repeat(2000));
    // 8x the input must not cost anything like 64x the time
    assert.ok(
      large < Math.max(small, 5) * 24,
      `1000 lines: ${small.toFixed(1)} ms, 8000 lines: ${large.toFixed(1)} ms`,
    );
  });
});

// `--format github`: workflow command lines, checked against GitHub's own toolkit (@actions/core) as the oracle.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';

import * as core from '@actions/core';

import { escapeGithubData, escapeGithubProperty, toGithub } from '../../../src/cli/findingFormats';
import type { Finding } from '../../../src/core/lint/types';

const WORKSPACE = path.resolve('/work/space');

function finding(over: Partial<Finding>): Finding {
  return {
    rule: 'archive-command-always-succeeds',
    severity: 'error',
    file: path.join(WORKSPACE, 'db', 'postgresql.conf'),
    range: { start: { line: 2, character: 18 }, end: { line: 2, character: 44 } },
    message: 'archive_command can never report a failure',
    ...over,
  };
}

/** What @actions/core prints for the same annotation (it writes `::cmd props::message` plus EOL to stdout). */
function oracle(f: Finding, file: string | undefined): string {
  const written: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => {
    written.push(s);
    return true;
  }) as typeof process.stdout.write;
  try {
    const props: core.AnnotationProperties = { title: `pg-pitr ${f.rule}` };
    if (file !== undefined) {
      props.file = file;
      props.startLine = f.range.start.line + 1;
      props.endLine = f.range.end.line + 1;
      props.startColumn = f.range.start.character + 1;
      props.endColumn = Math.max(f.range.end.character + 1, f.range.start.character + 1);
    }
    if (f.severity === 'error') core.error(f.message, props);
    else if (f.severity === 'warning') core.warning(f.message, props);
    else core.notice(f.message, props);
  } finally {
    process.stdout.write = write;
  }
  return written.join('').trimEnd();
}

/** A workflow command as GitHub parses it: command, properties (order does not matter), message. */
function parse(line: string): { command: string; props: Record<string, string>; message: string } {
  const m = /^::(\w+)(?: ([^:]*))?::(.*)$/s.exec(line);
  assert.ok(m, `not a workflow command: ${JSON.stringify(line)}`);
  const props: Record<string, string> = {};
  for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
    const i = kv.indexOf('=');
    props[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return { command: m[1], props, message: m[3] };
}

describe('pg-pitr lint --format github', () => {
  it('prints one error annotation with the workspace-relative file and 1-based positions', () => {
    assert.equal(
      toGithub(finding({}), WORKSPACE),
      '::error file=db/postgresql.conf,line=3,col=19,endLine=3,endColumn=45,title=pg-pitr archive-command-always-succeeds::archive_command ' +
        'can never report a failure',
    );
  });

  it('maps warning to warning and information to notice', () => {
    assert.match(toGithub(finding({ severity: 'warning' }), WORKSPACE), /^::warning file=/);
    assert.match(toGithub(finding({ severity: 'information' }), WORKSPACE), /^::notice file=/);
  });

  it('escapes %, CR and LF in the message and also : and , in properties', () => {
    assert.equal(escapeGithubData('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext: a, b');
    assert.equal(escapeGithubProperty('C:\\conf,d\n%'), 'C%3A\\conf%2Cd%0A%25');
    const f = finding({
      file: path.join(WORKSPACE, 'conf.d', 'a,b:c%.conf'),
      message: "archive_command = 'cp %p /a/%f': line one\nline two\r",
    });
    assert.equal(
      toGithub(f, WORKSPACE),
      '::error file=conf.d/a%2Cb%3Ac%25.conf,line=3,col=19,endLine=3,endColumn=45,title=pg-pitr archive-command-always-succeeds::archive_command ' +
        "= 'cp %25p /a/%25f': line one%0Aline two%0D",
    );
  });

  it('keeps an absolute path for a file outside the workspace, and omits positions when there is no file', () => {
    assert.match(
      toGithub(finding({ file: '/etc/postgresql/16/main/postgresql.conf' }), WORKSPACE),
      /^::error file=\/etc\/postgresql\/16\/main\/postgresql.conf,line=3,/,
    );
    assert.equal(
      toGithub(finding({ file: null, severity: 'warning', message: 'm' }), WORKSPACE),
      '::warning title=pg-pitr archive-command-always-succeeds::m',
    );
  });

  it("matches what GitHub's toolkit prints for the same annotation, special characters included", () => {
    const cases: Array<[Finding, string | undefined]> = [
      [finding({}), 'db/postgresql.conf'],
      [finding({ severity: 'warning', message: '50%: copy, then sync\nagain' }), 'db/postgresql.conf'],
      [finding({ severity: 'information', file: path.join(WORKSPACE, 'x,y:z.conf') }), 'x,y:z.conf'],
      [finding({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }), 'db/postgresql.conf'],
      [finding({ file: null, message: 'no file, 100%' }), undefined],
    ];
    for (const [f, file] of cases) assert.deepEqual(parse(toGithub(f, WORKSPACE)), parse(oracle(f, file)));
  });
});

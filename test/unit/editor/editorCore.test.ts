import { strict as assert } from 'node:assert';

import { getCatalog } from '../../../src/core/catalog/catalogs';
import { memoryFileSystem } from '../../../src/core/conf/fileSystem';
import { classifyPosition, completionsAt } from '../../../src/core/editor/completion';
import { formatMajors } from '../../../src/core/editor/parameterHistory';
import { parameterHoverMarkdown } from '../../../src/core/editor/parameterHover';
import { fixAllInFile, MAX_FIX_ROUNDS } from '../../../src/core/lint/fixAll';
import { applyEdits, compatibleFixes } from '../../../src/core/lint/fixEdits';
import { lintConfiguration } from '../../../src/core/lint/lintEngine';

const FILE = '/d/postgresql.conf';
const lint = (text: string, major = 18) =>
  lintConfiguration({
    configFile: FILE,
    dataDir: '/d',
    catalog: getCatalog(major),
    fs: memoryFileSystem({ [FILE]: text }),
  });

/** The product's fix-all (the editor's source.fixAll.pgPitr runs exactly this). */
const fixAll = (text: string, major = 18) => fixAllInFile(FILE, text, (t) => lint(t, major));

describe('quick fixes', () => {
  it('each preferred fix changes the text to the expected text', () => {
    const cases: Array<[string, string, string]> = [
      [
        'wal-level-minimal-archive',
        'wal_level = minimal\nmax_wal_senders = 0\narchive_mode = on\n',
        "wal_level = 'replica'\nmax_wal_senders = 0\narchive_mode = on\n",
      ],
      ['fsync-off', 'fsync = off # fast\n', "fsync = 'on' # fast\n"],
      ['archive-mode-off', "archive_command = 'x %p %f'\n", "archive_command = 'x %p %f'\narchive_mode = 'on'\n"],
      ['removed-parameter', 'wal_keep_segments = 8\n', "wal_keep_size = '128MB'\n"],
      [
        'backslash-in-string',
        'archive_command = \'copy "%p" "C:\\arch\\%f"\'\n',
        'archive_command = \'copy "%p" "C:\\\\arch\\\\%f"\'\n',
      ],
      ['custom-parameter-typo', 'pg_stat_statements.maxx = 5\n', 'pg_stat_statements.max = 5\n'],
      [
        'recovery-target-timeline-value',
        "recovery_target_timeline = 'Latest'\n",
        "recovery_target_timeline = 'latest'\n",
      ],
      [
        'archive-timeout-too-small',
        "archive_mode = on\narchive_command = 'x %p %f'\narchive_timeout = 5s\n",
        "archive_mode = on\narchive_command = 'x %p %f'\narchive_timeout = '60s'\n",
      ],
    ];
    for (const [rule, before, after] of cases) {
      const f = lint(before).find((x) => x.rule === rule);
      assert.ok(f?.fix, `${rule} offers a fix`);
      assert.equal(applyEdits(before, f!.fix!.edits), after, rule);
    }
  });

  it('fix all runs to a fixed point: the exact text, nothing fixable left, and the rounds it took', async () => {
    const text =
      'wal_level = minimal\narchive_mode = on\nfsync = off\nfull_page_writes = off\nwal_keep_segments = 4\narchive_timeout = 5\nmax_wal_senders = 1\n';
    const fixed = await fixAll(text);
    assert.equal(
      fixed.text,
      "wal_level = 'replica'\narchive_mode = on\nfsync = 'on'\nfull_page_writes = 'on'\nwal_keep_size " +
        "= '64MB'\narchive_timeout = '60s'\nmax_wal_senders = '10'\n",
    );
    assert.deepEqual(
      lint(fixed.text)
        .filter((f) => f.fix?.preferred)
        .map((f) => f.rule),
      [],
    );
    assert.equal(fixed.rounds, 2, `rounds: ${fixed.applied.join(' | ')}`);
  });

  it('fix all stops after MAX_FIX_ROUNDS when fixes keep producing fixes', async () => {
    let n = 0;
    const endless = () => [
      {
        rule: 'x',
        severity: 'warning' as const,
        file: FILE,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: 'x',
        fix: {
          title: `round ${++n}`,
          preferred: true,
          edits: [
            { file: FILE, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '#' },
          ],
        },
      },
    ];
    const r = await fixAllInFile(FILE, '', endless);
    assert.deepEqual([r.rounds, r.text.length], [MAX_FIX_ROUNDS, MAX_FIX_ROUNDS]);
  });

  it('never combines overlapping edits', () => {
    const e = (c: number) => ({
      file: FILE,
      range: { start: { line: 0, character: c }, end: { line: 0, character: c + 3 } },
      newText: 'x',
    });
    assert.equal(
      compatibleFixes([
        { title: 'a', edits: [e(0)] },
        { title: 'b', edits: [e(2)] },
        { title: 'c', edits: [e(3)] },
      ])
        .map((f) => f.title)
        .join(),
      'a,c',
    );
  });
});

describe('hover', () => {
  it('describes a parameter for the chosen major', () => {
    const md = parameterHoverMarkdown('archive_timeout', 16)!;
    assert.match(md, /^\*\*archive_timeout\*\* \(integer, unit s\) — PostgreSQL 16/);
    assert.match(md, /- Allowed: 0 \.\. 1073741823 \(unit s\)/);
    assert.match(md, /- Takes effect: reload/);
    assert.match(md, /- Exists in PostgreSQL 10–18/);
    assert.match(md, /https:\/\/www\.postgresql\.org\/docs\/16\//);
  });
  it('says where a removed parameter exists and what replaced it', () => {
    assert.equal(
      parameterHoverMarkdown('wal_keep_segments', 16),
      '**wal_keep_segments** — not a parameter of PostgreSQL 16\n\nExists in PostgreSQL 10–12. Replaced by `wal_keep_size` (13+).',
    );
    assert.match(parameterHoverMarkdown('wal_keep_segments', 12)!, /Takes effect: reload/);
  });
  it('changes with the major', () => {
    assert.match(parameterHoverMarkdown('wal_compression', 14)!, /\(bool\)/);
    assert.match(parameterHoverMarkdown('wal_compression', 15)!, /\(enum\)/);
    assert.equal(parameterHoverMarkdown('no_such_thing', 18), null);
  });
  it('formats version ranges', () => assert.equal(formatMajors([10, 11, 12, 15, 17, 18]), '10–12, 15, 17–18'));
});

describe('completion', () => {
  it('knows where the cursor is', () => {
    assert.deepEqual(classifyPosition('wal_le'), { kind: 'name', prefix: 'wal_le' });
    assert.deepEqual(classifyPosition('wal_level = rep'), {
      kind: 'value',
      name: 'wal_level',
      prefix: 'rep',
      quoted: false,
    });
    assert.deepEqual(classifyPosition("archive_mode = 'o"), {
      kind: 'value',
      name: 'archive_mode',
      prefix: 'o',
      quoted: true,
    });
    assert.deepEqual(classifyPosition('work_mem = 4MB # tu'), { kind: 'none' });
  });
  it('offers names valid for the major, values and units', () => {
    const names = (major: number) => completionsAt('', major).map((c) => c.label);
    assert.ok(names(12).includes('wal_keep_segments') && !names(13).includes('wal_keep_segments'));
    assert.ok(names(13).includes('wal_keep_size'));
    assert.ok(!names(18).includes('wal_segment_size'), 'read-only parameters are not offered');
    assert.deepEqual(
      completionsAt('wal_level = ', 18).map((c) => c.label),
      ['minimal', 'replica', 'logical'],
    );
    assert.deepEqual(
      completionsAt('fsync = ', 18).map((c) => c.label),
      ['on', 'off'],
    );
    assert.deepEqual(
      completionsAt('statement_timeout = 30', 11).map((c) => c.label),
      ['ms', 's', 'min', 'h', 'd'],
    );
    assert.deepEqual(
      completionsAt('statement_timeout = 30', 12).map((c) => c.label),
      ['us', 'ms', 's', 'min', 'h', 'd'],
    );
    assert.deepEqual(
      completionsAt('max_wal_size = 1', 18).map((c) => c.label),
      ['B', 'kB', 'MB', 'GB', 'TB'],
    );
  });
});

// The questions rules ask, on real archive_command / restore_command values from the PostgreSQL
// documentation, backup tools' manuals and production configurations.
import { strict as assert } from 'node:assert';

import {
  archivingToolCall,
  canExitNonZero,
  changesDirectory,
  commandInvocation,
  commandName,
  copyTargets,
  existenceGuards,
  hasDurableWrite,
  invokesScriptOnly,
  knownArchivingTool,
  lastStatusIsPipeline,
  simpleCommands,
} from '../../../src/core/shell/commandAnalysis';
import type { SimpleCommand } from '../../../src/core/shell/shellAst';
import { parseShell } from '../../../src/core/shell/shellParser';

function parse(text: string) {
  const r = parseShell(text);
  assert.deepEqual(r.errors, [], `no syntax errors in ${JSON.stringify(text)}`);
  return r.ast;
}

function first(text: string): SimpleCommand {
  return simpleCommands(parse(text))[0].command;
}

/** One row per real-world command: what every helper says about it. */
interface Row {
  text: string;
  canFail: boolean;
  tool?: string | null;
  script?: boolean;
  /** `tool:source,source->destination` plus (R) remote / (stdin) */
  copies?: string[];
  durable?: boolean | null;
  cd?: boolean;
  /** `syntax[!]op word` of the guards */
  guards?: string[];
  idempotent?: boolean;
  pipeline?: boolean;
}

const ROWS: Row[] = [
  // PostgreSQL documentation (continuous archiving)
  {
    text: 'test ! -f /mnt/server/archivedir/%f && cp %p /mnt/server/archivedir/%f',
    canFail: true,
    copies: ['cp:%p->/mnt/server/archivedir/%f'],
    durable: false,
    guards: ['test!-f /mnt/server/archivedir/%f'],
    idempotent: false,
  },
  {
    text: 'cp %p /mnt/server/archivedir/%f',
    canFail: true,
    copies: ['cp:%p->/mnt/server/archivedir/%f'],
    durable: false,
    guards: [],
  },
  {
    text: 'copy "%p" "C:\\\\server\\\\archivedir\\\\%f"',
    canFail: true,
    copies: ['copy:%p->C:\\server\\archivedir\\%f'],
  },
  { text: 'copy "%p" "C:\\server\\archivedir\\%f"', canFail: true, copies: ['copy:%p->C:\\server\\archivedir\\%f'] },
  { text: 'cp /mnt/server/archivedir/%f %p', canFail: true, copies: ['cp:/mnt/server/archivedir/%f->%p'] },
  { text: 'cp /mnt/server/archivedir/"%f" "%p"', canFail: true, copies: ['cp:/mnt/server/archivedir/%f->%p'] },
  { text: 'cp /a/%f %p || true', canFail: false, copies: ['cp:/a/%f->%p'] },
  { text: 'pg_archivecleanup /mnt/server/archivedir %r', canFail: true, script: true, copies: [] },
  {
    text: 'gzip < %p > /mnt/server/archivedir/%f.gz',
    canFail: true,
    copies: ['gzip:%p->/mnt/server/archivedir/%f.gz'],
    durable: false,
  },
  {
    text: 'gunzip < /mnt/server/archivedir/%f.gz > %p',
    canFail: true,
    copies: ['gunzip:/mnt/server/archivedir/%f.gz->%p'],
  },
  { text: 'gzip -c %p > /archive/%f.gz', canFail: true, copies: ['gzip:%p->/archive/%f.gz'] },
  { text: 'zcat /archive/%f.gz > "%p"', canFail: true, copies: ['zcat:/archive/%f.gz->%p'] },
  { text: 'cat %p > /archive/%f', canFail: true, copies: ['cat:%p->/archive/%f'] },
  { text: 'zstd -q %p -o /archive/%f.zst', canFail: true, copies: ['zstd:%p->/archive/%f.zst'] },
  { text: 'lz4 -q %p /archive/%f.lz4', canFail: true, copies: ['lz4:%p->/archive/%f.lz4'] },
  { text: '/bin/true', canFail: false, copies: [], script: false, durable: null },
  { text: 'true', canFail: false, copies: [] },
  { text: ':', canFail: false },
  { text: 'exit 0', canFail: false },
  { text: 'cp -i %p /a/%f </dev/null', canFail: true, copies: ['cp:%p->/a/%f'] },
  { text: 'cp %p /a/%f || true', canFail: false, copies: ['cp:%p->/a/%f'] },
  { text: 'cp %p /a/%f; echo ok', canFail: false },
  { text: 'cp %p /a/%f && echo ok', canFail: true },
  {
    text: 'if [ -f /a/%f ]; then cmp -s %p /a/%f; else cp %p /a/%f.tmp && sync /a/%f.tmp && mv /a/%f.tmp /a/%f; fi',
    canFail: true,
    copies: ['cp:%p->/a/%f.tmp', 'mv:/a/%f.tmp->/a/%f'],
    durable: true,
    guards: ['[-f /a/%f'],
    idempotent: true,
  },
  {
    text: 'test ! -f /a/%f && cp %p /a/%f.tmp && sync /a/%f.tmp && mv /a/%f.tmp /a/%f',
    canFail: true,
    durable: true,
    guards: ['test!-f /a/%f'],
    idempotent: false,
  },
  { text: 'cp %p /a/%f.tmp && mv /a/%f.tmp /a/%f', canFail: true, durable: false },
  { text: 'cp %p /a/%f && sync', canFail: true, durable: true },
  { text: 'sync; cp %p /a/%f', canFail: true, durable: false },
  { text: 'cd /tmp && cp %p /a/%f', canFail: true, cd: true },
  { text: 'cd /var/lib/postgresql/data; cp %p /a/%f', canFail: true, cd: true },
  { text: '(cd /a && ls); cp %p /a/%f', canFail: true, cd: false },
  { text: 'cp %p /a/%f; cd /tmp', canFail: true, cd: false },
  { text: 'pushd /tmp; cp %p /a/%f', canFail: true, cd: true },
  { text: 'env -C /tmp cp %p /a/%f', canFail: true, cd: true },
  { text: 'cd /a && cp /b/%f .', canFail: true, cd: false },
  { text: 'test ! -f /a/%f&&cp %p /a/%f', canFail: true, guards: ['test!-f /a/%f'], copies: ['cp:%p->/a/%f'] },
  { text: '[ ! -f /a/%f ] && cp %p /a/%f', canFail: true, guards: ['[!-f /a/%f'] },
  { text: '[ ! -e "/a/%f" ] && cp "%p" "/a/%f"', canFail: true, guards: ['[!-e /a/%f'] },
  { text: 'test ! -e /a/%f && cp %p /a/%f', canFail: true, guards: ['test!-e /a/%f'] },
  { text: '[[ ! -f /a/%f ]] && cp %p /a/%f', canFail: true, guards: ['[[!-f /a/%f'] },
  { text: '! test -f /a/%f && cp %p /a/%f', canFail: true, guards: ['test!-f /a/%f'] },
  { text: '[ -f /a/%f ] || cp %p /a/%f', canFail: true, guards: ['[-f /a/%f'] },
  { text: 'test -f /a/%f && cp %p /a/%f', canFail: true, guards: [] },
  { text: 'if [ -e /a/%f ]; then exit 1; fi; cp %p /a/%f', canFail: true, guards: ['[-e /a/%f'], idempotent: false },
  {
    text: 'if test -f /a/%f; then test "$(sha256sum < %p)" = "$(sha256sum < /a/%f)"; else cp %p /a/%f; fi',
    canFail: true,
    guards: ['test-f /a/%f'],
    idempotent: true,
  },
  {
    text: 'test ! -f /a/%f && cp %p /a/%f || cmp -s %p /a/%f',
    canFail: true,
    guards: ['test!-f /a/%f'],
    idempotent: true,
  },
  { text: 'diff -q %p /a/%f || cp %p /a/%f', canFail: true, guards: [], idempotent: false },
  // remote copies and object stores
  {
    text: 'rsync -a %p backup:/archive/%f',
    canFail: true,
    copies: ['rsync:%p->backup:/archive/%f(R)'],
    durable: false,
  },
  { text: 'rsync -a --fsync %p /archive/%f', canFail: true, copies: ['rsync:%p->/archive/%f'], durable: true },
  {
    text: 'rsync -e "ssh -p 2222" -a %p postgres@backup:/archive/%f',
    canFail: true,
    copies: ['rsync:%p->postgres@backup:/archive/%f(R)'],
  },
  { text: 'scp -P 2222 -i ~/.ssh/id %p backup:/archive/%f', canFail: true, copies: ['scp:%p->backup:/archive/%f(R)'] },
  {
    text: 'ssh backup "test ! -f /archive/%f" && scp %p backup:/archive/%f',
    canFail: true,
    copies: ['scp:%p->backup:/archive/%f(R)'],
  },
  {
    text: 'aws s3 cp %p s3://bucket/wal/%f',
    canFail: true,
    copies: ['aws s3 cp:%p->s3://bucket/wal/%f(R)'],
    durable: true,
  },
  {
    text: 'aws --profile backup s3 cp %p s3://bucket/wal/%f --sse --storage-class STANDARD_IA',
    canFail: true,
    copies: ['aws s3 cp:%p->s3://bucket/wal/%f(R)'],
  },
  {
    text: 'aws s3 cp --only-show-errors --sse aws:kms %p s3://b/%f',
    canFail: true,
    copies: ['aws s3 cp:%p->s3://b/%f(R)'],
  },
  { text: 'aws s3 cp s3://bucket/wal/%f %p', canFail: true, copies: ['aws s3 cp:s3://bucket/wal/%f->%p'] },
  {
    text: 'gzip -c %p | aws s3 cp - s3://b/%f.gz',
    canFail: true,
    copies: ['aws s3 cp:-->s3://b/%f.gz(R)(stdin)'],
    pipeline: true,
  },
  { text: 'gzip < %p | aws s3 cp - s3://b/%f', canFail: true, pipeline: true },
  {
    text: 'gsutil -q cp %p gs://bucket/wal/%f',
    canFail: true,
    copies: ['gsutil cp:%p->gs://bucket/wal/%f(R)'],
    durable: true,
  },
  { text: 'gsutil cp gs://bucket/wal/%f %p', canFail: true, copies: ['gsutil cp:gs://bucket/wal/%f->%p'] },
  { text: 'gcloud storage cp %p gs://b/%f', canFail: true, copies: ['gcloud storage cp:%p->gs://b/%f(R)'] },
  {
    text: 'azcopy copy %p "https://acct.blob.core.windows.net/wal/%f?$SAS"',
    canFail: true,
    copies: ['azcopy copy:%p->https://acct.blob.core.windows.net/wal/%f?$SAS(R)'],
    durable: true,
  },
  {
    text: 'rclone copyto %p remote:wal/%f',
    canFail: true,
    copies: ['rclone copyto:%p->remote:wal/%f(R)'],
    durable: null,
  },
  { text: 'curl -sf -T %p sftp://backup/archive/%f', canFail: true, copies: ['curl:%p->sftp://backup/archive/%f(R)'] },
  { text: 'curl -sf -o %p https://backup/wal/%f', canFail: true, copies: ['curl:https://backup/wal/%f->%p'] },
  { text: 'wget -q -O %p https://backup/wal/%f', canFail: true, copies: ['wget:https://backup/wal/%f->%p'] },
  { text: 'dd if=%p of=/archive/%f bs=1M conv=fsync', canFail: true, copies: ['dd:%p->/archive/%f'], durable: true },
  { text: 'dd if=%p of=/archive/%f oflag=dsync', canFail: true, durable: true },
  { text: 'dd if=%p of=/archive/%f', canFail: true, durable: false },
  { text: 'install -m 0600 %p /archive/%f', canFail: true, copies: ['install:%p->/archive/%f'] },
  { text: 'cp -t /archive %p', canFail: true, copies: ['cp:%p->/archive'] },
  { text: 'cp --target-directory=/archive %p', canFail: true, copies: ['cp:%p->/archive'] },
  { text: 'nice -n 19 ionice -c3 /usr/bin/cp %p /archive/%f', canFail: true, copies: ['cp:%p->/archive/%f'] },
  { text: 'timeout 60 rsync -a %p backup:/archive/%f', canFail: true, copies: ['rsync:%p->backup:/archive/%f(R)'] },
  { text: 'sudo -u backup cp %p /archive/%f', canFail: true, copies: ['cp:%p->/archive/%f'] },
  {
    text: 'openssl enc -aes-256-cbc -pass file:/k -in %p -out /archive/%f.enc',
    canFail: true,
    copies: ['openssl:%p->/archive/%f.enc'],
  },
  { text: 'cp %p /archive/$(hostname)/%f', canFail: true, copies: ['cp:%p->/archive/$(hostname)/%f'], durable: false },
  // dedicated tools
  { text: 'pgbackrest --stanza=main archive-push %p', canFail: true, tool: 'pgbackrest', script: true, durable: true },
  { text: 'pgbackrest --stanza=main archive-get %f "%p"', canFail: true, tool: 'pgbackrest', script: true },
  { text: 'wal-g wal-push %p', canFail: true, tool: 'wal-g', script: true, durable: true },
  { text: 'wal-g wal-fetch %f %p', canFail: true, tool: 'wal-g', script: true },
  { text: '/usr/local/bin/wal-g --config /etc/wal-g.yaml wal-push %p', canFail: true, tool: 'wal-g', script: true },
  { text: 'envdir /etc/wal-e.d/env wal-e wal-push %p', canFail: true, tool: 'wal-e', script: true },
  { text: 'envdir /etc/wal-e.d/env wal-e wal-fetch "%f" "%p"', canFail: true, tool: 'wal-e' },
  { text: 'barman-wal-archive backup pg %p', canFail: true, tool: 'barman-wal-archive', script: true },
  { text: 'barman-wal-restore -U barman backup pg %f %p', canFail: true, tool: 'barman-wal-restore' },
  {
    text: 'barman-cloud-wal-archive --cloud-provider aws-s3 s3://b/ pg %p',
    canFail: true,
    tool: 'barman-cloud-wal-archive',
  },
  { text: 'barman-cloud-wal-restore s3://b/ pg %f %p', canFail: true, tool: 'barman-cloud-wal-restore' },
  {
    text: 'pg_probackup archive-push -B /backup --instance main --wal-file-path=%p --wal-file-name=%f',
    canFail: true,
    tool: 'pg_probackup',
  },
  {
    text: 'pg_probackup-16 archive-get -B /backup --instance main --wal-file-path=%p --wal-file-name=%f',
    canFail: true,
    tool: 'pg_probackup',
  },
  { text: 'pgbackrest --stanza=main archive-push %p || true', canFail: false, tool: 'pgbackrest', script: false },
  { text: 'pgbackrest --stanza=main backup', canFail: true, tool: null, script: true },
  // wrapper scripts
  { text: '/usr/local/bin/archive_wal.sh %p %f', canFail: true, script: true, tool: null, durable: null, copies: [] },
  { text: '/opt/scripts/archive.sh "%p" "%f" >> /var/log/archive.log 2>&1', canFail: true, script: true },
  { text: 'sh /opt/archive.sh %p %f', canFail: true, script: false },
  { text: 'bash -c "cp %p /a/%f"', canFail: true, script: false },
  { text: '/usr/local/bin/archive_wal.sh %p %f &', canFail: false, script: false },
  { text: 'exec /usr/local/bin/archive_wal.sh %p %f', canFail: true, script: true },
];

function show(t: ReturnType<typeof copyTargets>[number]): string {
  return `${t.tool}:${t.sourceTexts.join(',')}->${t.destinationText}${t.remote ? '(R)' : ''}${t.stdin ? '(stdin)' : ''}`;
}

describe('command analysis on real-world commands', () => {
  for (const row of ROWS) {
    it(JSON.stringify(row.text), () => {
      const ast = parse(row.text);
      assert.equal(canExitNonZero(ast), row.canFail, 'canExitNonZero');
      if ('tool' in row) assert.equal(knownArchivingTool(ast), row.tool, 'knownArchivingTool');
      if (row.script !== undefined) assert.equal(invokesScriptOnly(ast), row.script, 'invokesScriptOnly');
      if (row.copies !== undefined) assert.deepEqual(copyTargets(ast).map(show), row.copies, 'copyTargets');
      if (row.durable !== undefined)
        assert.equal(hasDurableWrite(ast).durable, row.durable, `hasDurableWrite: ${hasDurableWrite(ast).reason}`);
      if (row.cd !== undefined) assert.equal(changesDirectory(ast) !== null, row.cd, 'changesDirectory');
      if (row.guards !== undefined) {
        const g = existenceGuards(ast).guards.map(
          (x) => `${x.syntax}${x.negated ? '!' : ''}${x.operator} ${x.word.text}`,
        );
        assert.deepEqual(g, row.guards, 'existenceGuards');
      }
      if (row.idempotent !== undefined)
        assert.equal(existenceGuards(ast).idempotentAware, row.idempotent, 'idempotentAware');
      if (row.pipeline !== undefined)
        assert.equal(lastStatusIsPipeline(ast).isPipeline, row.pipeline, 'lastStatusIsPipeline');
    });
  }
});

describe('commandName / commandInvocation', () => {
  const cases: Array<[string, string | null]> = [
    ['cp a b', 'cp'],
    ['/usr/bin/cp a b', 'cp'],
    ['\\cp a b', 'cp'],
    ['"cp" a b', 'cp'],
    ['X=1 cp a b', 'cp'],
    ['env X=1 Y=2 cp a b', 'cp'],
    ['env -i PATH=/bin /bin/cp a b', 'cp'],
    ['exec cp a b', 'cp'],
    ['command cp a b', 'cp'],
    ['command -v cp', 'command'],
    ['nice cp a b', 'cp'],
    ['nice -n 10 cp a b', 'cp'],
    ['nice -10 cp a b', 'cp'],
    ['nohup cp a b', 'cp'],
    ['timeout 30 cp a b', 'cp'],
    ['timeout -k 5 30s cp a b', 'cp'],
    ['timeout --preserve-status 30 cp a b', 'cp'],
    ['sudo -u postgres cp a b', 'cp'],
    ['sudo -E -u postgres -- cp a b', 'cp'],
    ['ionice -c 3 nice -n 19 rsync a b', 'rsync'],
    ['envdir /etc/wal-e.d/env wal-e wal-push %p', 'wal-e'],
    ['flock /tmp/lock cp a b', 'cp'],
    ['flock -w 10 /tmp/lock cp a b', 'cp'],
    ['flock /tmp/lock -c "cp a b"', null],
    ['sudo -i', null],
    ['env -S "cp a b"', null],
    ['$CP a b', null],
    ['"$(which cp)" a b', null],
    ['X=1', null],
    ['> /tmp/x', null],
    ['exec', 'exec'],
    ['env', 'env'],
    ['[ -f x ]', '['],
    ['/usr/local/bin/archive_wal.sh %p', 'archive_wal.sh'],
  ];
  for (const [text, name] of cases) {
    it(`${text} -> ${name}`, () => assert.equal(commandName(first(text)), name));
  }

  it('lists the launchers it saw through and the remaining arguments', () => {
    const inv = commandInvocation(first('sudo -u backup nice -n 19 /usr/bin/cp -p %p /a/%f'));
    assert.ok(inv);
    assert.deepEqual(inv.wrappers, ['sudo', 'nice']);
    assert.equal(inv.nameWord.value, '/usr/bin/cp');
    assert.deepEqual(
      inv.args.map((w) => w.raw),
      ['-p', '%p', '/a/%f'],
    );
  });
});

describe('simpleCommands context', () => {
  it('reports if-condition / then / else, pipeline and and-or positions', () => {
    const entries = simpleCommands(
      parse('if [ -f /a/%f ]; then cmp -s %p /a/%f; else cp %p /a/t && mv /a/t /a/%f; fi | cat'),
    );
    const summary = entries.map((e) => ({
      name: commandName(e.command),
      frame: e.context.frames.map((f) => f.kind).join('>'),
      cond: e.context.inCondition,
      before: e.context.operatorBefore,
      after: e.context.operatorAfter,
      pipe: `${e.context.pipelineIndex}/${e.context.pipeline.commands.length}`,
      sub: e.context.inSubshell,
    }));
    assert.deepEqual(summary, [
      { name: '[', frame: 'if-condition', cond: true, before: null, after: null, pipe: '0/1', sub: true },
      { name: 'cmp', frame: 'if-then', cond: false, before: null, after: null, pipe: '0/1', sub: true },
      { name: 'cp', frame: 'if-else', cond: false, before: null, after: '&&', pipe: '0/1', sub: true },
      { name: 'mv', frame: 'if-else', cond: false, before: '&&', after: null, pipe: '0/1', sub: true },
      { name: 'cat', frame: '', cond: false, before: null, after: null, pipe: '1/2', sub: true },
    ]);
    // the if is the first member of a two-command pipeline: that is what the frame's position says
    const f = entries[0].context.frames[0];
    assert.equal(f.position.pipelineIndex, 0);
    assert.equal(f.position.pipeline.commands.length, 2);
  });

  it('marks subshells, groups, background jobs and functions', () => {
    const e = simpleCommands(parse('(a); { b; }; c & f() { d; }'));
    assert.deepEqual(
      e.map((x) => [
        commandName(x.command),
        x.context.inSubshell,
        x.context.inGroup,
        x.context.inBackground,
        x.context.inFunction,
      ]),
      [
        ['a', true, false, false, false],
        ['b', false, true, false, false],
        ['c', true, false, true, false],
        ['d', false, true, false, true],
      ],
    );
  });

  it('finds commands in every compound command, in source order', () => {
    const e = simpleCommands(
      parse('while a; do b; done; for x in y; do c; done; case z in q) d;; esac; until e; do f; done'),
    );
    assert.deepEqual(
      e.map((x) => commandName(x.command)),
      ['a', 'b', 'c', 'd', 'e', 'f'],
    );
    assert.deepEqual(simpleCommands(null), []);
  });
});

describe('analysis details', () => {
  it('changesDirectory names the cd and the %p use', () => {
    const r = changesDirectory(parse('cd /archive && cp %p .'));
    assert.ok(r);
    assert.equal(r.cd.words[0].raw, 'cd');
    assert.equal(r.word.raw, '%p');
    // %p in a redirection counts too
    assert.ok(changesDirectory(parse('cd /a; gzip < %p > x.gz')));
  });

  it('archivingToolCall gives the subcommand', () => {
    assert.deepEqual(
      ['pgbackrest --stanza=main archive-push %p', 'barman-wal-archive b pg %p', 'wal-g wal-fetch %f %p'].map((t) => {
        const c = archivingToolCall(parse(t));
        return c && [c.tool, c.subcommand];
      }),
      [
        ['pgbackrest', 'archive-push'],
        ['barman-wal-archive', null],
        ['wal-g', 'wal-fetch'],
      ],
    );
  });

  it('hasDurableWrite explains itself', () => {
    assert.equal(
      hasDurableWrite(parse('cp %p /a/%f')).reason,
      'nothing syncs /a/%f after cp writes it; after a crash the archived copy can be empty or partial',
    );
    assert.equal(hasDurableWrite(parse('wal-g wal-push %p')).reason, 'wal-g syncs what it writes');
    assert.equal(hasDurableWrite(parse('$TOOL %p')).durable, null);
    assert.equal(hasDurableWrite(null).durable, null);
  });

  it('existenceGuards reports comparisons and tests', () => {
    const r = existenceGuards(parse('if test -f /a/%f; then cmp -s %p /a/%f; else cp %p /a/%f; fi'));
    assert.deepEqual(
      r.tests.map((t) => [t.operator, t.negated, t.guard]),
      [['-f', false, true]],
    );
    assert.deepEqual(
      r.comparisons.map((c) => [c.tool, c.mentionsSource]),
      [['cmp', true]],
    );
    assert.equal(r.idempotentAware, true);
  });

  it('copyTargets keeps the words with offsets for diagnostics', () => {
    const text = 'cp %p /mnt/archive/%f';
    const [t] = copyTargets(parse(text));
    assert.equal(text.slice(t.destination!.start, t.destination!.end), '/mnt/archive/%f');
    assert.deepEqual(t.destination!.placeholders, ['f']);
    assert.equal(t.via, 'operand');
  });
});

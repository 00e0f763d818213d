// issue 15: configurations that froze or fooled `pg-pitr lint` — a device or a FIFO included, two
// files including each other, a long line of escaped quotes, 30 MB of settings, 130,000 findings of
// one rule, file names that are not ASCII (or not UTF-8), a symbolic-link loop in include_dir, a
// file larger than the old 64 MB cut-off. Each runs the built CLI in its own process, which must
// finish (a hang is a failure: spawnSync kills it), within a heap of 384 MB where it says so, and
// print what PostgreSQL itself does with the same files (checked on a real server).
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { binDir, type Cluster, createCluster, requireServer, runAsUser } from '../support/postgresServers';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

function cli(args: string[], opts: { heapMb?: number; timeoutMs?: number } = {}) {
  const node = opts.heapMb ? [`--max-old-space-size=${opts.heapMb}`] : [];
  const r = spawnSync(process.execPath, [...node, CLI, ...args], {
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 30,
  });
  assert.equal(r.signal, null, `pg-pitr ${args.join(' ')} did not finish: ${r.signal}\n${r.stderr}`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const lastLine = (s: string) => s.trimEnd().split('\n').pop();

describe('pg-pitr lint on hostile configurations (issue 15)', function () {
  this.timeout(300_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-hostile-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string | Buffer) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };

  it("include '/dev/zero' (the server reads it forever): an error at once, the device is not read", () => {
    const conf = write('postgresql.conf', "include '/dev/zero'\n");
    const r = cli(['lint', conf, '--pg-version', '17']);
    assert.equal(r.code, 1);
    assert.equal(
      r.out,
      `${conf}:1:1: error include-error: The server will not start: could not read configuration file "/dev/zero": ` +
        'it is a character device, not a regular file (a starting server would wait on it or read it without end)\n' +
        '1 errors, 0 warnings, 0 information\n',
    );
  });

  it('an included FIFO (the server blocks on it): an error at once, nothing waits', () => {
    execFileSync('mkfifo', [path.join(dir, 'fifo.conf')]);
    const conf = write('postgresql.conf', "include 'fifo.conf'\ninclude_dir 'conf.d'\n");
    fs.mkdirSync(path.join(dir, 'conf.d'));
    execFileSync('mkfifo', [path.join(dir, 'conf.d', '10-pipe.conf')]);
    const r = cli(['lint', conf, '--pg-version', '17']);
    assert.equal(r.code, 1);
    const why = 'it is a FIFO, not a regular file (a starting server would wait on it or read it without end)';
    assert.deepEqual(r.out.trimEnd().split('\n'), [
      `${conf}:1:1: error include-error: The server will not start: could not read configuration file "${dir}/fifo.conf": ${why}`,
      `${conf}:2:1: error include-error: The server will not start: could not read configuration file "${dir}/conf.d/10-pipe.conf": ${why}`,
      '2 errors, 0 warnings, 0 information',
    ]);
  });

  it("include '/dev/null' reads as an empty file, as the server reads it", () => {
    const conf = write('postgresql.conf', "include '/dev/null'\nwal_level = replica\n");
    const r = cli(['lint', conf, '--pg-version', '17']);
    // wal_level's restart-required is a hint now, shown only with --explain-restarts
    assert.equal(lastLine(r.out), '0 errors, 0 warnings, 0 information');
    assert.equal(r.code, 0);
  });

  it('two files including each other 4 times each: the depth error, then a lint-incomplete warning, exit 1', () => {
    const conf = write('postgresql.conf', "include 'a.conf'\n");
    write('a.conf', "include 'b.conf'\n".repeat(4));
    write('b.conf', "include 'a.conf'\n".repeat(4));
    const r = cli(['lint', conf, '--pg-version', '17', '--format', 'json']);
    assert.equal(r.code, 1);
    const findings = JSON.parse(r.out) as { rule: string; severity: string; message: string }[];
    assert.ok(
      findings.some(
        (f) =>
          f.rule === 'include-error' &&
          f.message ===
            'The server will not start: could not open configuration file "a.conf": maximum nesting depth exceeded',
      ),
    );
    const stop = findings.filter((f) => f.rule === 'lint-incomplete');
    assert.equal(stop.length, 1);
    assert.equal(stop[0].severity, 'warning');
    assert.match(stop[0].message, /: 10000 files were opened \(its limit per check; an include cycle multiplies/);
  });

  it('a 1 MB line of escaped quotes (quadratic for the server) lints in one pass', () => {
    const conf = write('postgresql.conf', "archive_command = '" + "\\'".repeat(500_000) + '\n');
    const r = cli(['lint', conf, '--pg-version', '17'], { timeoutMs: 60_000 });
    assert.equal(r.code, 1);
    assert.equal(
      r.out.split('\n')[0],
      `${conf}:1:19: error syntax-error: The server will not start: syntax error in file "${conf}" line 1, near token "'"`,
    );
  });

  it('30 MB of settings (duplicates, distinct custom names, comments) lints within a 384 MB heap', () => {
    const lines = [
      "work_mem = '4MB'",
      'shared_buffers = 128MB',
      '# a comment line that is not a setting at all',
      "myapp.setting_%d = 'value %d'",
    ];
    const chunks: string[] = [];
    let size = 0;
    for (let i = 0; size < 30 * 1024 * 1024; i++) {
      const l = lines[i % lines.length].replace(/%d/g, String(i)) + '\n';
      chunks.push(l);
      size += l.length;
    }
    const conf = write('postgresql.conf', chunks.join(''));
    const r = cli(['lint', conf, '--pg-version', '17'], { heapMb: 384, timeoutMs: 280_000 });
    assert.equal(r.err, '');
    assert.equal(r.code, 0);
    // 411,000 repeated settings: the first 200,000 duplicate-setting notes, then how many more were left out
    assert.equal(lastLine(r.out), '0 errors, 0 warnings, 200001 information');
    assert.match(
      r.out,
      /: information duplicate-setting: pg-pitr lists at most 200000 findings of duplicate-setting per check: \d+ more are not listed \(the first of them is here\)\n/,
    );
  });

  it('130,000 lines of a removed parameter (the server refuses): 130,000 errors, exit 1', () => {
    const conf = write('postgresql.conf', 'checkpoint_segments = 3\n'.repeat(130_000));
    const r = cli(['lint', conf, '--pg-version', '17'], { timeoutMs: 280_000 });
    assert.equal(r.code, 1);
    assert.equal(lastLine(r.out), '130000 errors, 0 warnings, 129999 information');
    assert.doesNotMatch(r.out, /internal error|failed/);
  });

  it('recovery.conf with 130,000 unknown lines: 130,000 errors (and no restore_command), exit 1, no crash', () => {
    const conf = write('recovery.conf', 'foo = 1\n'.repeat(130_000));
    const r = cli(['lint', conf, '--pg-version', '11'], { timeoutMs: 280_000 });
    assert.equal(r.err, '');
    assert.equal(r.code, 1);
    assert.equal(lastLine(r.out), '130001 errors, 0 warnings, 0 information');
  });
});

describe('pg-pitr reads included files as PostgreSQL does (issue 15, real server)', function () {
  this.timeout(300_000);
  for (const major of [10, 17]) {
    describe(`PostgreSQL ${major}`, () => {
      let cluster: Cluster;
      before(async function () {
        if (!requireServer(major, this)) return;
        cluster = await createCluster(major);
      });
      after(async () => {
        await cluster?.destroy();
      });
      const conf = () => path.join(cluster.dataDir, 'postgresql.conf');
      const original = () => fs.readFileSync(conf());
      let saved: Buffer;
      beforeEach(() => {
        saved = original();
      });
      afterEach(() => {
        fs.writeFileSync(conf(), saved);
        for (const f of fs.readdirSync(cluster.dataDir, { encoding: 'buffer' })) {
          const name = f.toString('latin1');
          if (name.startsWith('caf') || name === 'loops' || name === 'big.conf')
            fs.rmSync(Buffer.concat([Buffer.from(cluster.dataDir + '/'), f]), { recursive: true });
        }
      });
      const serverValue = async (name: string) => {
        const r = await runAsUser(path.join(binDir(major), 'postgres'), ['-D', cluster.dataDir, '-C', name]);
        return { code: r.code, value: r.stdout.trim(), log: r.stderr };
      };
      const settings = () => {
        const r = cli([
          'settings',
          conf(),
          '--data-dir',
          cluster.dataDir,
          '--pg-version',
          String(major),
          '--format',
          'json',
        ]);
        return { code: r.code, report: JSON.parse(r.out) as SettingsJson };
      };

      it("include 'café.conf' (UTF-8 name) and a name that is not UTF-8 (caf\\xe9.conf): both read", async () => {
        // the first include line is written as UTF-8 bytes, the second as one latin1 byte
        fs.writeFileSync(
          conf(),
          Buffer.concat([
            saved,
            Buffer.from("include 'café.conf'\n", 'utf8'),
            Buffer.from("include 'caf\xe9-latin1.conf'\n", 'latin1'),
          ]),
        );
        fs.writeFileSync(path.join(cluster.dataDir, 'café.conf'), "work_mem = '7MB'\n");
        fs.writeFileSync(
          Buffer.from(`${cluster.dataDir}/caf\xe9-latin1.conf`, 'latin1'),
          "maintenance_work_mem = '9MB'\n",
        );
        assert.deepEqual(await serverValue('work_mem'), { code: 0, value: '7168', log: '' });
        assert.equal((await serverValue('maintenance_work_mem')).value, '9216');
        const { code, report } = settings();
        assert.deepEqual(report.errors, []);
        assert.equal(code, 0);
        const row = (n: string) => report.settings.find((s) => s.name === n && s.applied)!;
        assert.deepEqual([row('work_mem').file, row('work_mem').value], [`${cluster.dataDir}/café.conf`, '7MB']);
        assert.deepEqual(
          [row('maintenance_work_mem').file, row('maintenance_work_mem').value],
          [`${cluster.dataDir}/caf\udce9-latin1.conf`, '9MB'],
        );
      });

      it('a symbolic-link loop in include_dir: the server\'s "Too many levels of symbolic links"', async () => {
        fs.mkdirSync(path.join(cluster.dataDir, 'loops'));
        fs.symlinkSync('self.conf', path.join(cluster.dataDir, 'loops', 'self.conf'));
        fs.appendFileSync(conf(), "include_dir 'loops'\n");
        const server = await serverValue('work_mem');
        assert.notEqual(server.code, 0);
        const expected = `could not stat file "${cluster.dataDir}/loops/self.conf": Too many levels of symbolic links`;
        assert.ok(server.log.includes(`LOG:  ${expected}\n`), server.log);
        const { code, report } = settings();
        assert.equal(code, 1);
        assert.deepEqual(
          report.errors.map((e) => e.message),
          [expected],
        );
      });

      it('a 65 MB configuration (above the old 64 MB cut-off) that the server accepts: read whole, no EFBIG', async () => {
        const big = path.join(cluster.dataDir, 'big.conf');
        const line = '# padding: a long comment line that the server skips like every comment\n';
        fs.writeFileSync(big, line.repeat(Math.ceil((65 * 1024 * 1024) / line.length)) + "work_mem = '5MB'\n");
        fs.appendFileSync(conf(), "include 'big.conf'\n");
        assert.equal((await serverValue('work_mem')).value, '5120');
        const r = cli(['lint', conf(), '--pg-version', String(major)], { timeoutMs: 280_000 });
        assert.doesNotMatch(r.out, /EFBIG|too large|stopped reading/);
        assert.match(lastLine(r.out)!, /^0 errors, /);
      });
    });
  }
});

interface SettingsJson {
  settings: { file: string; name: string; value: string; applied: boolean }[];
  errors: { message: string }[];
}

import { strict as assert } from 'node:assert';

import { archivingToolUsage } from '../../../src/core/shell/archivingToolAnalysis';
import { parseShell } from '../../../src/core/shell/shellParser';

const usage = (text: string) => {
  const u = archivingToolUsage(parseShell(text).ast);
  return (
    u && { form: u.form, direction: u.direction, missing: u.missing.map((m) => m.letter), repository: u.repository }
  );
};

describe('archiving tools in archive_command / restore_command', () => {
  it('knows the documented forms and what each needs', () => {
    const rows: Array<[string, ReturnType<typeof usage>]> = [
      [
        'pgbackrest --stanza=main archive-push %p',
        { form: 'pgbackrest archive-push', direction: 'archive', missing: [], repository: 'pgbackrest stanza=main' },
      ],
      [
        'pgbackrest --stanza main archive-get %f "%p"',
        { form: 'pgbackrest archive-get', direction: 'restore', missing: [], repository: 'pgbackrest stanza=main' },
      ],
      [
        'pgbackrest archive-push %p',
        { form: 'pgbackrest archive-push', direction: 'archive', missing: [], repository: null },
      ],
      [
        'wal-g wal-push %p',
        { form: 'wal-g wal-push', direction: 'archive', missing: [], repository: 'wal-g environment' },
      ],
      [
        'wal-g wal-push',
        { form: 'wal-g wal-push', direction: 'archive', missing: ['p'], repository: 'wal-g environment' },
      ],
      [
        '/usr/bin/timeout 600 /usr/bin/wal-g --config=/etc/wal-g.yaml wal-fetch "%f" "%p"',
        { form: 'wal-g wal-fetch', direction: 'restore', missing: [], repository: 'wal-g /etc/wal-g.yaml' },
      ],
      [
        'wal-g wal-fetch %f',
        { form: 'wal-g wal-fetch', direction: 'restore', missing: ['p'], repository: 'wal-g environment' },
      ],
      [
        'envdir /etc/wal-e.d/env wal-e wal-push %p',
        { form: 'wal-e wal-push', direction: 'archive', missing: [], repository: 'wal-e envdir=/etc/wal-e.d/env' },
      ],
      [
        'walg-daemon-client /run/walg.sock wal-push %f',
        {
          form: 'walg-daemon-client wal-push',
          direction: 'archive',
          missing: [],
          repository: 'walg-daemon /run/walg.sock',
        },
      ],
      [
        'barman-wal-archive -U barman backup pg %p',
        { form: 'barman-wal-archive', direction: 'archive', missing: [], repository: 'barman backup/pg' },
      ],
      [
        'barman-wal-restore -p 4 --spool-dir /tmp/s backup pg %f %p',
        { form: 'barman-wal-restore', direction: 'restore', missing: [], repository: 'barman backup/pg' },
      ],
      [
        'barman-cloud-wal-archive --cloud-provider aws-s3 s3://b/x/ pg %p',
        { form: 'barman-cloud-wal-archive', direction: 'archive', missing: [], repository: 'barman-cloud s3://b/x/pg' },
      ],
      [
        'barman-cloud-wal-restore s3://b/x pg %f %p',
        { form: 'barman-cloud-wal-restore', direction: 'restore', missing: [], repository: 'barman-cloud s3://b/x/pg' },
      ],
      [
        '/controller/manager wal-archive --log-destination /controller/log/postgres.json %p',
        { form: '/controller/manager wal-archive', direction: 'archive', missing: [], repository: 'cloudnative_pg' },
      ],
      [
        '/controller/manager wal-restore %f %p',
        { form: '/controller/manager wal-restore', direction: 'restore', missing: [], repository: 'cloudnative_pg' },
      ],
      [
        'pg_probackup-16 archive-push -B /b --instance main --wal-file-name=%f',
        {
          form: 'pg_probackup-16 archive-push',
          direction: 'archive',
          missing: [],
          repository: 'pg_probackup /b instance=main',
        },
      ],
      [
        'pg_probackup archive-push -B /b --instance main --wal-file-path=%p',
        {
          form: 'pg_probackup archive-push',
          direction: 'archive',
          missing: ['f'],
          repository: 'pg_probackup /b instance=main',
        },
      ],
      [
        'pg_probackup archive-get -B /b --instance main --wal-file-name=%f',
        {
          form: 'pg_probackup archive-get',
          direction: 'restore',
          missing: ['p'],
          repository: 'pg_probackup /b instance=main',
        },
      ],
    ];
    for (const [text, want] of rows) assert.deepEqual(usage(text), want, text);
  });

  it('is not fooled by other programs or subcommands', () => {
    for (const t of [
      'cp %p /a/%f',
      'pgbackrest --stanza=main backup',
      '/usr/local/bin/manager wal-archive %p',
      'wal-g backup-push /data',
    ])
      assert.equal(usage(t), null, t);
  });
});

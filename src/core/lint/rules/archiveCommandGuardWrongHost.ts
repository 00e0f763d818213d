import { commandSetting } from '../shellSettings';
import type { Rule } from '../types';

const SAFE = /^[A-Za-z0-9_.@/-]+$/;

/**
 * The remote-side form of `test ! -f DIR/%f && rsync -a %p HOST:DIR/%f`: succeed when the archived
 * copy is identical, fail when it differs, otherwise copy (rsync writes a temporary name and
 * renames) and sync on the archive host.
 */
export function remoteIdempotentArchiveCommand(host: string, dir: string): string {
  const f = `${dir}/%f`;
  return `if ssh ${host} test -f ${f}; then ssh ${host} cat ${f} | cmp -s - %p; else rsync -a %p ${host}:${f} && ssh ${host} sync ${f} ${dir}; fi`;
}

// `test ! -f /mnt/archive/wal/%f && rsync -a %p backup:/mnt/archive/wal/%f` tests this machine's
// disk while the copy goes to another host: the test is almost always true, so it guards nothing.
export const archiveCommandGuardWrongHost: Rule = {
  id: 'archive-command-guard-wrong-host',
  severity: 'warning',
  summary: 'an existence test of a local path guarding a copy to another host',
  docPage: 'continuous-archiving.html#BACKUP-ARCHIVING-WAL',
  check(ctx) {
    const s = commandSetting(ctx, 'archive_command');
    if (!s || s.facts.guards.length === 0 || s.facts.tool || s.facts.wrapperScript) return [];
    const copies = s.facts.copies.filter((c) => c.destination !== null && c.destination.includes('%f'));
    if (copies.length === 0 || !copies.every((c) => c.remote && (c.name === 'rsync' || c.name === 'scp'))) return [];
    const guard = s.facts.guards.find((g) => g.host === null && g.path.includes('%f'));
    if (s.facts.guards.some((g) => g.host !== null)) return [];
    if (!guard) return [];
    const remote = /^((?:[^@/:]+@)?[^/:]+):(.*)$/.exec(copies[0].destination ?? '');
    if (!remote) return [];
    const [, host, path] = remote;
    const dir = path.replace(/\/%f(?:\.[A-Za-z0-9]+)*$/, '');
    const fixable = dir !== path && dir.startsWith('/') && SAFE.test(host) && SAFE.test(dir);
    return [
      ctx.finding(
        this,
        s.e.item,
        `archive_command tests ${guard.path} on this server, but copies to ${host}: the test looks at ` +
          `the wrong machine, so it almost always passes and protects nothing against overwriting an archived segment. ` +
          `Test on the archive host (ssh ${host} test -f …), succeed when the archived copy is identical and fail when it differs.`,
        {
          range: ctx.valueRange(s.e.item),
          fix: fixable
            ? {
                title: `Check the archive on ${host} before copying`,
                edits: [ctx.replaceValue(s.e.item, remoteIdempotentArchiveCommand(host, dir))],
                preferred: true,
              }
            : null,
        },
      ),
    ];
  },
};

// A password kept in VS Code's SecretStorage reaches pg_basebackup through a private password file
// (PGPASSFILE in the terminal's environment), never the command line: libpq recommends a password
// file over PGPASSWORD, and the command line of a terminal is shown in VS Code's exit messages.
// The file is 0600 in a 0700 folder of the extension's global storage, holds one line for the one
// server, and is removed when its terminal closes (and leftovers at the next start).
import * as fs from 'node:fs';
import * as path from 'node:path';

const PREFIX = 'pgpass-';

/** Escapes `\` and `:` as the password file format requires. */
export function passFileField(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
}

/** The one password-file line: any host (libpq compares a socket directory other than the default
 * by its path, "localhost" otherwise: `*` spares that subtlety in a single-purpose file), this port
 * and user, any database (pg_basebackup connects with replication=true). */
export function passFileLine(port: number, user: string, password: string): string {
  return `*:${port}:*:${passFileField(user)}:${passFileField(password)}\n`;
}

export function writePrivatePassFile(storageDir: string, line: string): string {
  const dir = path.join(storageDir, 'run');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const file = path.join(dir, `${PREFIX}${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2, 10)}`);
  // 'wx': never reuse a file someone else prepared
  fs.writeFileSync(file, line, { mode: 0o600, flag: 'wx' });
  return file;
}

export function removePassFile(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    /* already gone */
  }
}

/** Removes files left by a window that did not close its terminals (crash, kill). libpq reads the
 * file only while connecting, so an hour-old file serves no running pg_basebackup. */
export function removeStalePassFiles(storageDir: string): void {
  const dir = path.join(storageDir, 'run');
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(PREFIX)) continue;
    const file = path.join(dir, n);
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > 3_600_000) removePassFile(file);
    } catch {
      /* removed meanwhile */
    }
  }
}

/** What using the private file means for `-R`: pg_basebackup copies the connection's `passfile`
 * into primary_conninfo (checked with the real pg_basebackup 15), and this file does not outlive
 * its terminal, so the standby would connect without a password. */
export function privatePassFileWarnings(o: { writeRecoveryConf: boolean; serverMajor: number }): string[] {
  if (!o.writeRecoveryConf) return [];
  const where = o.serverMajor >= 12 ? 'postgresql.auto.conf' : 'recovery.conf';
  return [
    `-R with the password pg-pitr keeps: pg_basebackup writes passfile='<pg-pitr's private password file>' ` +
      `into primary_conninfo (${where} of the backup), and that file is removed when the terminal closes; before ` +
      `starting the copy as a standby, put the password in its server user's ~/.pgpass and remove passfile=... ` +
      `from primary_conninfo`,
  ];
}

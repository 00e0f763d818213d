// Secrets written into a command setting: `AWS_SECRET_ACCESS_KEY=…`, `PGPASSWORD=…`,
// `--repo1-s3-key-secret=…`, `sshpass -p …`, passwords in URIs. Every role that can read
// pg_settings sees them, and the server log repeats them on every failed attempt.
// Reports the name only: the secret itself never leaves this module.
import type { ShellList, ShellWord } from './shellAst';
import { simpleCommands } from './shellWalk';

export interface InlineCredential {
  /** what holds the secret: a variable name, an option or `a URI password` (never the value) */
  readonly name: string;
  readonly word: ShellWord;
}

/** variable names that hold secrets; *_FILE / *_PATH variables point to files and are fine */
const SECRET_VARIABLE = new RegExp(
  '^(?:' +
    [
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'PGPASSWORD',
      'SSHPASS',
      'AZURE_STORAGE_(?:ACCESS_)?KEY',
      'AZURE_STORAGE_SAS_TOKEN',
      'AZURE_CLIENT_SECRET',
      'GOOGLE_OAUTH_ACCESS_TOKEN',
      'OS_PASSWORD',
      'ST_KEY',
      'SWIFT_PASSWORD',
      'MINIO_SECRET_KEY',
      'RCLONE_CONFIG_PASS',
      'RESTIC_PASSWORD',
      'PGBACKREST_REPO[0-9]*_(?:S3_KEY_SECRET|S3_TOKEN|CIPHER_PASS|AZURE_KEY|SFTP_PRIVATE_KEY_PASSPHRASE)',
      'WAL[EG]_[A-Z0-9_]*(?:SECRET|PASSWORD|PASSPHRASE|_KEY|TOKEN)[A-Z0-9_]*',
      '[A-Z0-9_]*(?:SECRET|PASSWORD|PASSWD|PASSPHRASE)[A-Z0-9_]*',
    ].join('|') +
    ')$',
);
const FILE_VARIABLE = /_(?:FILE|PATH|DIR|ID|NAME|LOCATION|URI|ENDPOINT|REGION|TYPE|ALGORITHM|METHOD)$/;
const SECRET_OPTION =
  /^--(?:repo[0-9]*-(?:s3-key-secret|s3-token|cipher-pass|azure-key)|password|passwd|secret|secret-key|aws-secret-access-key|passphrase)=(.+)$/;
const URI_PASSWORD = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/@:\s]+:([^/@\s]+)@/;

function literal(v: string | null): boolean {
  return v !== null && v !== '' && !/^\$|^\$\{/.test(v) && !/^\{\{.*\}\}$/.test(v);
}

/** Why: a secret in archive_command/restore_command is visible in pg_settings and in every failure logged. */
export function inlineCredentials(ast: ShellList | null): InlineCredential[] {
  const out: InlineCredential[] = [];
  const seen = new Set<string>();
  const add = (name: string, word: ShellWord): void => {
    if (seen.has(name)) return;
    seen.add(name);
    out.push({ name, word });
  };
  for (const { command } of simpleCommands(ast)) {
    for (const a of command.assignments) {
      if (SECRET_VARIABLE.test(a.name) && !FILE_VARIABLE.test(a.name) && literal(a.value ?? a.valueText))
        add(a.name, a.word);
    }
    const words = command.words;
    for (let i = 0; i < words.length; i++) {
      const t = words[i].text;
      const env = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(t);
      if (env && i > 0 && SECRET_VARIABLE.test(env[1]) && !FILE_VARIABLE.test(env[1]) && literal(env[2]))
        add(env[1], words[i]);
      const opt = SECRET_OPTION.exec(t);
      if (opt && literal(opt[1])) add(t.slice(0, t.indexOf('=')), words[i]);
      if (
        (t === '--password' || t === '--repo1-s3-key-secret' || t === '--repo1-cipher-pass') &&
        literal(words[i + 1]?.text ?? null)
      )
        add(t, words[i]);
      if (
        i === 1 &&
        /(?:^|\/)sshpass$/.test(words[0].text) &&
        ((t === '-p' && literal(words[2]?.text ?? null)) || /^-p.+/.test(t))
      )
        add('sshpass -p', words[i]);
      const uri = URI_PASSWORD.exec(t);
      if (uri && literal(uri[1])) add('a password in a URI', words[i]);
      if (/(?:^|\s)(?:password|sslpassword)=[^\s$]/.test(t)) add('a password in a connection string', words[i]);
    }
  }
  return out;
}

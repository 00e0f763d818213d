// The pg-pitr command-line tool. Exit codes: 0 clean, 1 findings, 2 usage or access error; `check`
// follows Nagios instead (0 ok, 1 warning, 2 failing, 3 unknown). Everything written to stdout and
// stderr goes through escapeBlock: no control or bidi character from a file name reaches the terminal.
import packageJson from '../../package.json';
import { escapeBlock, line } from '../core/text/safeText';
import { ARCHIVE_CHECK_USAGE, runArchiveCheck } from './archiveCheck';
import { CHECK_USAGE, runCheck } from './check';
import { DRILL_USAGE, runDrillCli } from './drill';
import { LINT_USAGE, runLint } from './lint';
import { RECOVERY_CONFIG_USAGE, runRecoveryConfig } from './recoveryConfig';
import { runServe, SERVE_USAGE } from './serve';
import { runSettings, SETTINGS_USAGE } from './settings';
import { UsageError } from './usageError';

const USAGE = [
  'usage: pg-pitr <command> [options]',
  '',
  'commands:',
  '  ' + LINT_USAGE.replace('usage: pg-pitr ', ''),
  '  ' + SETTINGS_USAGE.replace('usage: pg-pitr ', ''),
  '  ' + ARCHIVE_CHECK_USAGE.replace('usage: pg-pitr ', ''),
  '  ' + CHECK_USAGE.replace('usage: pg-pitr ', ''),
  '  ' + SERVE_USAGE.replace('usage: pg-pitr ', ''),
  '  ' + RECOVERY_CONFIG_USAGE.replace('usage: pg-pitr ', ''),
  '  ' + DRILL_USAGE.replace('usage: pg-pitr ', '').replace(/\n\s+pg-pitr /, '\n  '),
].join('\n');
/** from package.json, the one place the version is written */
const VERSION: string = packageJson.version;

export async function main(
  argv: string[],
  write: (s: string) => void = (s) => process.stdout.write(s + '\n'),
  writeError: (s: string) => void = (s) => process.stderr.write(s + '\n'),
): Promise<number> {
  // the last line of defence: each command also escapes what it interpolates (safeText's line tag)
  const out = (s: string) => write(escapeBlock(s));
  const err = (s: string) => writeError(escapeBlock(s));
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'settings':
        return runSettings(rest, out);
      case 'lint':
        return runLint(rest, out, VERSION);
      case 'archive':
        if (rest[0] !== 'check')
          throw new UsageError(line`unknown archive command "${rest[0] ?? ''}" (try: archive check)`);
        return await runArchiveCheck(rest.slice(1), out);
      case 'check':
        return await runCheck(rest, out, err);
      case 'serve':
        return await runServe(rest, out, err);
      case 'recovery-config':
        return await runRecoveryConfig(rest, out, err);
      case 'drill':
        return await runDrillCli(rest, out, err);
      case '--version':
        out(VERSION);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        out(USAGE);
        return 0;
      default:
        throw new UsageError(command === undefined ? 'no command given' : line`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(line`pg-pitr: ${e.message}`);
      err(USAGE);
      return 2;
    }
    // a message for the user; the stack only when asked for (PG_PITR_DEBUG=1)
    err(line`pg-pitr: ${e instanceof Error ? e.message : String(e)}`);
    // the stack's frames (below its first line, the message) only when asked for
    const frames = e instanceof Error ? (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)) : [];
    if (process.env.PG_PITR_DEBUG) for (const f of frames) err(line`${f}`);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

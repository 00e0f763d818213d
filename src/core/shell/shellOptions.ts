// Reading `set` commands: errexit, nounset and pipefail change how a command line's exit status
// comes about, and options beyond POSIX (notably `set -o pipefail`) make dash 0.5.12 -- Debian and
// Ubuntu's /bin/sh -- print "Illegal option" and exit with status 2 before running anything else.
import type { ShellList, SimpleCommand } from './shellAst';
import { simpleCommands } from './shellWalk';

export interface SetCommand {
  readonly command: SimpleCommand;
  /** long option names switched on (`-e` -> errexit, `-o pipefail` -> pipefail) */
  readonly enables: readonly string[];
  readonly disables: readonly string[];
  /** options, as written, that not every /bin/sh accepts (e.g. `pipefail`, `-E`) */
  readonly nonPortable: readonly string[];
}

const LETTERS: Record<string, string> = {
  a: 'allexport',
  b: 'notify',
  C: 'noclobber',
  e: 'errexit',
  f: 'noglob',
  h: 'hashall',
  m: 'monitor',
  n: 'noexec',
  u: 'nounset',
  v: 'verbose',
  x: 'xtrace',
};

const POSIX_LONG = new Set([
  'allexport',
  'errexit',
  'ignoreeof',
  'monitor',
  'noclobber',
  'noglob',
  'noexec',
  'nolog',
  'notify',
  'nounset',
  'verbose',
  'vi',
  'xtrace',
]);

/** The options a `set` command changes, or null when the command is not `set`. Stops at the first word with an expansion. */
export function setCommandOptions(command: SimpleCommand): SetCommand | null {
  const words = command.words;
  if (words.length === 0 || words[0].value !== 'set') return null;
  const enables: string[] = [];
  const disables: string[] = [];
  const nonPortable: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const v = words[i].value;
    if (v === null || v === '--' || v === '-') break;
    if ((v[0] !== '-' && v[0] !== '+') || v.length < 2) break; // positional parameters
    const on = v[0] === '-';
    for (const c of v.slice(1)) {
      let name: string | undefined;
      if (c === 'o') {
        const next = words[i + 1]?.value;
        if (next === undefined || next === null) continue; // `set -o` alone lists the options
        i++;
        name = next;
        if (!POSIX_LONG.has(name)) nonPortable.push(name);
      } else {
        name = LETTERS[c];
        if (name === undefined) {
          nonPortable.push(`${v[0]}${c}`);
          continue;
        }
      }
      (on ? enables : disables).push(name);
    }
  }
  return { command, enables, disables, nonPortable };
}

export interface ShellOptionsReport {
  /** some `set` may turn on errexit (`set -e`) */
  readonly errexit: boolean;
  /** some `set` may turn on pipefail (`set -o pipefail`) */
  readonly pipefail: boolean;
  /** some `set` may turn on nounset (`set -u`) */
  readonly nounset: boolean;
  /** every `set` command, in source order */
  readonly setCommands: readonly SetCommand[];
  /** `set` commands using options that dash 0.5.12 rejects (the shell then exits with status 2) */
  readonly nonPortable: readonly SetCommand[];
}

/** The options the command line's `set` commands switch on, anywhere in it (conservative: scope and order ignored). */
export function shellOptions(ast: ShellList | null): ShellOptionsReport {
  const setCommands: SetCommand[] = [];
  for (const { command } of simpleCommands(ast)) {
    const s = setCommandOptions(command);
    if (s) setCommands.push(s);
  }
  const on = (name: string): boolean => setCommands.some((s) => s.enables.includes(name));
  return {
    errexit: on('errexit'),
    pipefail: on('pipefail'),
    nounset: on('nounset'),
    setCommands,
    nonPortable: setCommands.filter((s) => s.nonPortable.length > 0),
  };
}

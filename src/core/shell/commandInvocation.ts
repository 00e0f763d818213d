// Which program a simple command runs, seeing through launchers that only adjust how it runs
// (env, exec, command, nice, nohup, timeout, sudo, ionice, envdir, flock, ...): `nice -n 19
// /usr/bin/cp %p /a/%f` copies just like `cp %p /a/%f`, so rules must look at the same name.
import type { ShellWord, SimpleCommand } from './shellAst';

export interface CommandInvocation {
  /** basename of the program (`/usr/bin/cp` -> `cp`, `\cp` -> `cp`) */
  readonly name: string;
  /** the word naming the program (its value is the path as written) */
  readonly nameWord: ShellWord;
  /** the words after the program name */
  readonly args: readonly ShellWord[];
  /** launchers skipped to reach the program, outermost first (e.g. ['sudo', 'nice']) */
  readonly wrappers: readonly string[];
}

/** The part of a path after the last `/`. */
export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 && i < path.length - 1 ? path.slice(i + 1) : path;
}

const NUMBER = /^-?[0-9]+$/;
const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Skips the options (and fixed operands) of a launcher; returns the index of the launched program's
 * word, `words.length` when there is none, or -1 when the launcher is used in a way we cannot follow.
 */
type Skipper = (words: readonly ShellWord[], i: number) => number;

/** generic getopt-style skipping: `withArg` options take the next word unless glued (`-n19`, `--x=y`) */
function options(withArg: string[], stopAt: string[] = []): Skipper {
  return (words, i) => {
    while (i < words.length) {
      const v = words[i].value;
      if (v === null) return -1;
      if (v === '--') return i + 1;
      if (!v.startsWith('-') || v === '-') return i;
      if (stopAt.includes(v)) return -1;
      if (withArg.includes(v)) i += 2;
      else i += 1;
    }
    return i;
  };
}

const SKIPPERS: Record<string, Skipper> = {
  env(words, i) {
    while (i < words.length) {
      const v = words[i].value;
      if (v === null) return -1;
      if (v === '--') i++;
      else if (
        v === '-' ||
        v === '-i' ||
        v === '--ignore-environment' ||
        v === '-0' ||
        v === '--null' ||
        v === '-v' ||
        v === '--debug'
      )
        i++;
      else if (v === '-u' || v === '-C' || v === '--unset' || v === '--chdir') i += 2;
      else if (v.startsWith('--unset=') || v.startsWith('--chdir=') || /^-[uC]./.test(v)) i++;
      else if (v.startsWith('-'))
        return -1; // -S and friends re-split a string: not followed
      else if (ENV_ASSIGNMENT.test(v)) i++;
      else return i;
    }
    return i;
  },
  exec: options(['-a']),
  command(words, i) {
    while (i < words.length) {
      const v = words[i].value;
      if (v === null) return -1;
      if (v === '-v' || v === '-V') return -1; // a lookup, not a call
      if (v === '-p') i++;
      else if (v === '--') return i + 1;
      else return i;
    }
    return i;
  },
  nice(words, i) {
    while (i < words.length) {
      const v = words[i].value;
      if (v === null) return -1;
      if (v === '--') return i + 1;
      if (v === '-n' || v === '--adjustment') i += 2;
      else if (NUMBER.test(v) || /^-n-?[0-9]+$/.test(v) || v.startsWith('--adjustment=')) i++;
      else if (v.startsWith('-')) return -1;
      else return i;
    }
    return i;
  },
  nohup: options([]),
  ionice: options(['-c', '-n', '-p', '-P', '-u', '--class', '--classdata']),
  chrt: (words, i) => {
    const j = options(['-T', '-P', '-D'])(words, i);
    return j < 0 || j >= words.length ? j : j + 1; // the priority
  },
  stdbuf: options(['-i', '-o', '-e']),
  setsid: options([]),
  time: options(['-f', '-o', '--format', '--output']),
  timeout(words, i) {
    const j = options(['-s', '-k', '--signal', '--kill-after'])(words, i);
    return j < 0 || j >= words.length ? j : j + 1; // the duration
  },
  sudo: options(
    [
      '-u',
      '-g',
      '-C',
      '-D',
      '-h',
      '-p',
      '-r',
      '-t',
      '-T',
      '-U',
      '--user',
      '--group',
      '--chdir',
      '--host',
      '--prompt',
      '--role',
      '--type',
      '--other-user',
    ],
    ['-i', '-s', '-e', '-l', '-v', '-k', '-K', '--login', '--shell', '--edit', '--list', '--validate'],
  ),
  doas: options(['-u', '-C'], ['-s']),
  runuser: options(['-u', '-g', '-G', '--user', '--group', '--supp-group'], ['-c', '-l', '--login', '--command']),
  envdir(words, i) {
    return i < words.length ? i + 1 : i;
  },
  chpst: options(['-u', '-U', '-e', '-/', '-n', '-l', '-L', '-m', '-d', '-o', '-p', '-f', '-c']),
  flock(words, i) {
    const j = options(['-w', '-E', '--timeout', '--conflict-exit-code'], ['-c', '--command'])(words, i);
    if (j < 0 || j >= words.length) return j;
    const k = j + 1; // the lock file
    return k < words.length && (words[k].value === '-c' || words[k].value === '--command') ? -1 : k;
  },
};

/** The launchers commandInvocation sees through. */
export const LAUNCHERS: readonly string[] = Object.keys(SKIPPERS);

/**
 * The program a simple command runs: the first word after the assignments, seen through the
 * launchers above. Null when there is no command word (only assignments/redirections), when the
 * name (or a launcher's argument we must read) contains an expansion, or when a launcher is used in
 * a way that hides the program (`env -S`, `sudo -i`, `command -v`, `flock -c`).
 */
export function commandInvocation(cmd: SimpleCommand): CommandInvocation | null {
  const words = cmd.words;
  const wrappers: string[] = [];
  let i = 0;
  for (let guard = 0; guard <= words.length; guard++) {
    if (i >= words.length) return null;
    const w = words[i];
    if (w.value === null) return null;
    const name = basename(w.value);
    const skip = Object.prototype.hasOwnProperty.call(SKIPPERS, name) ? SKIPPERS[name] : undefined;
    if (skip === undefined) return { name, nameWord: w, args: words.slice(i + 1), wrappers };
    const j = skip(words, i + 1);
    if (j < 0) {
      // `command -v x` is a lookup: `command` is the program; `sudo -i`, `env -S`: unknown
      return name === 'command' ? { name, nameWord: w, args: words.slice(i + 1), wrappers } : null;
    }
    if (j >= words.length) {
      // `exec` / `nohup` / `env` alone: the launcher is all there is
      return { name, nameWord: w, args: words.slice(i + 1), wrappers };
    }
    wrappers.push(name);
    i = j;
  }
  return null;
}

/** Why: rules match on the program (`/usr/bin/cp`, `nice cp` and `\cp` are all cp); null when it cannot be known statically. */
export function commandName(cmd: SimpleCommand): string | null {
  return commandInvocation(cmd)?.name ?? null;
}

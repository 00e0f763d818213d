// Command lines that only hand a string to another shell: `bash -c '…'`, `su postgres -c "…"`,
// `sudo -u postgres sh -c '…'`. The string is the real command; its exit status is the outer one.
// Never guesses: anything but one plain call with a literal string gives null.
import { commandInvocation } from './commandInvocation';
import type { ShellList, ShellWord, SimpleCommand } from './shellAst';

/** The string run by an inner shell, and how it was reached (e.g. `su -c`, `bash -c`). */
export interface NestedCommand {
  readonly text: string;
  readonly via: string;
  /** the word holding the string */
  readonly word: ShellWord;
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ksh', 'mksh', 'zsh', 'ash', 'busybox']);

/** options of sh/bash before `-c` that take no argument (`-e`, `-x`, `-l`, `-ec`, `--login`, `-o pipefail`) */
function shellCommandString(args: readonly ShellWord[]): ShellWord | null {
  let i = 0;
  let seenC = false;
  while (i < args.length) {
    const v = args[i].value;
    if (v === null) return null;
    if (v === '--login' || v === '--noprofile' || v === '--norc' || v === '--posix') {
      i++;
      continue;
    }
    if (v === '-o' || v === '+o') {
      i += 2;
      continue;
    }
    if (/^[-+][A-Za-z]+$/.test(v)) {
      if (v.startsWith('-') && v.includes('c')) seenC = true;
      i++;
      continue;
    }
    break;
  }
  return seenC && i < args.length ? args[i] : null;
}

/** su / runuser: `su [-] [-l] [-s SHELL] [USER] -c STRING [USER]` */
function suCommandString(args: readonly ShellWord[]): ShellWord | null {
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v === null) return null;
    if (v === '-c' || v === '--command') return args[i + 1] ?? null;
    if (v.startsWith('--command=')) return null; // glued form: value is not a separate word
    if (v === '-s' || v === '--shell' || v === '-g' || v === '-G' || v === '-u' || v === '--user' || v === '--group')
      i++;
  }
  return null;
}

function innerOf(cmd: SimpleCommand): NestedCommand | null {
  const inv = commandInvocation(cmd);
  if (inv === null) return null;
  let word: ShellWord | null = null;
  let via = '';
  if (inv.name === 'su' || inv.name === 'runuser') {
    word = suCommandString(inv.args);
    via = `${inv.name} -c`;
  } else if (SHELLS.has(inv.name)) {
    const args =
      inv.name === 'busybox'
        ? inv.args[0]?.value === 'sh' || inv.args[0]?.value === 'ash'
          ? inv.args.slice(1)
          : null
        : inv.args;
    if (args === null) return null;
    word = shellCommandString(args);
    via = `${inv.name} -c`;
  }
  if (word === null) return null;
  // a literal string (quoted or not); `$HOME` inside double quotes would be expanded by the outer shell
  const text = word.value ?? (word.flags.parameter || word.flags.commandSubstitution ? null : word.text);
  if (text === null) return null;
  return { text, via, word };
}

/**
 * When the whole command line is one call that runs a string in another shell (through `sudo`,
 * `env`, `nice`, ...), that string; else null.
 */
export function nestedCommand(ast: ShellList | null): NestedCommand | null {
  if (ast === null || ast.items.length !== 1) return null;
  const item = ast.items[0];
  if (item.separator === '&' || item.andOr.pipelines.length !== 1) return null;
  const p = item.andOr.pipelines[0];
  if (p.negated || p.commands.length !== 1 || p.commands[0].type !== 'SimpleCommand') return null;
  return innerOf(p.commands[0]);
}

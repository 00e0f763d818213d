// Runs a program in an integrated terminal from an argument list. VS Code closes a terminal whose
// process exits, taking the program's output with it; so on POSIX the program runs under a fixed
// /bin/sh script that receives the program and its arguments as positional parameters ("$0" "$@":
// never parsed as shell text, so no argument can be misquoted or injected), prints the exit status
// and waits for Enter.
import * as vscode from 'vscode';

import { log } from '../log';

export const KEEP_OPEN_SCRIPT =
  '"$0" "$@"; s=$?; printf \'\\n[%s exited with status %s. Press Enter to close this terminal.]\\n\' "$0" "$s"; read -r _; exit "$s"';

export interface ProgramTerminalSpec {
  name: string;
  shellPath: string;
  shellArgs: string[];
  env?: Record<string, string>;
}

/** The terminal options for running `file args` (kept open on POSIX, see above). */
export function programTerminalSpec(
  name: string,
  file: string,
  args: readonly string[],
  env?: Record<string, string>,
): ProgramTerminalSpec {
  if (process.platform === 'win32') return { name, shellPath: file, shellArgs: [...args], env };
  return { name, shellPath: '/bin/sh', shellArgs: ['-c', KEEP_OPEN_SCRIPT, file, ...args], env };
}

export function openProgramTerminal(spec: ProgramTerminalSpec): vscode.Terminal {
  // argv never holds a password (it goes through a private PGPASSFILE); the environment's values are not logged
  const argv = process.platform === 'win32' ? [spec.shellPath, ...spec.shellArgs] : spec.shellArgs.slice(2);
  log().info(
    `running in terminal "${spec.name}": ${JSON.stringify(argv)}` +
      (spec.env ? ` with ${Object.keys(spec.env).join(', ')} set` : ''),
  );
  const terminal = vscode.window.createTerminal({
    name: spec.name,
    shellPath: spec.shellPath,
    shellArgs: spec.shellArgs,
    env: spec.env,
    iconPath: new vscode.ThemeIcon('database'),
  });
  terminal.show();
  return terminal;
}

// Where archive_command writes WAL and where restore_command reads it from, as comparable keys:
// a local folder, host:folder, a URL prefix, or a tool's repository (pgBackRest stanza, Barman
// server, ...). Unknown (null) whenever a variable, a script or a tool's configuration file decides.
import { archivingToolUsage } from './archivingToolAnalysis';
import { copyTargets } from './copyTargets';
import type { ShellList } from './shellAst';
import { simpleCommands } from './shellWalk';

export interface WalLocation {
  /** a folder on this machine, host:folder, a URL prefix, or a tool's repository: only keys of one kind compare */
  readonly kind: 'local' | 'host' | 'url' | 'tool';
  /** normalised, for comparisons */
  readonly key: string;
  /** as written, for messages */
  readonly display: string;
}

/** `f=/mnt/a/%f; … "$f"`: the values of simple assignments made earlier in the line */
function assignments(ast: ShellList | null): Map<string, string> {
  const vars = new Map<string, string>();
  for (const { command } of simpleCommands(ast)) {
    for (const a of command.assignments) if (command.words.length === 0 && a.value !== null) vars.set(a.name, a.value);
  }
  return vars;
}

function expand(text: string, vars: Map<string, string>): string {
  return text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (all, name: string) => vars.get(name) ?? all);
}

/** the folder part of `<folder>/%f[.ext…]`, or null */
function folderOf(path: string): string | null {
  const m = /^(.*)\/%f(?:\.[A-Za-z0-9]+)*$/.exec(path);
  if (!m) return null;
  return m[1] === '' ? '/' : m[1];
}

function keyOf(folder: string): WalLocation | null {
  if (folder.includes('$') || folder.includes('`')) return null;
  const url = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/.exec(folder);
  if (url) return { kind: 'url', key: `${url[1].toLowerCase()}://${url[2].replace(/\/+$/, '')}`, display: folder };
  const host = /^(?:[^@/:]+@)?([^/:]+):(.*)$/.exec(folder);
  if (host) return { kind: 'host', key: `${host[1]}:${normalisePath(host[2] || '.')}`, display: folder };
  return { kind: 'local', key: normalisePath(folder), display: folder };
}

function normalisePath(p: string): string {
  const abs = p.startsWith('/');
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(seg);
  }
  return (abs ? '/' : '') + parts.join('/');
}

/** Where archive_command puts the segments (every destination of a copy to `<folder>/%f`), when visible. */
export function archiveLocations(ast: ShellList | null): WalLocation[] {
  const tool = archivingToolUsage(ast);
  if (tool)
    return tool.direction === 'archive' && tool.repository
      ? [{ kind: 'tool', key: tool.repository, display: tool.repository }]
      : [];
  const vars = assignments(ast);
  const out: WalLocation[] = [];
  for (const c of copyTargets(ast)) {
    if (c.destinationText === null) continue;
    const folder = folderOf(expand(c.destinationText, vars).replace(/\.tmp$/, ''));
    const loc = folder === null ? null : keyOf(folder);
    if (loc && !out.some((l) => l.key === loc.key)) out.push(loc);
  }
  return out;
}

/** Where restore_command reads the segments from, when visible. */
export function restoreLocation(ast: ShellList | null): WalLocation | null {
  const tool = archivingToolUsage(ast);
  if (tool)
    return tool.direction === 'restore' && tool.repository
      ? { kind: 'tool', key: tool.repository, display: tool.repository }
      : null;
  const vars = assignments(ast);
  for (const c of copyTargets(ast)) {
    for (const src of c.sourceTexts) {
      const folder = folderOf(expand(src, vars));
      if (folder !== null) return keyOf(folder);
    }
  }
  return null;
}

/** The folder `pg_archivecleanup` prunes in archive_cleanup_command, when visible. */
export function cleanupLocation(ast: ShellList | null): WalLocation | null {
  for (const { command } of simpleCommands(ast)) {
    const words = command.words;
    const at = words.findIndex((w) => /(?:^|\/)pg_archivecleanup$/.test(w.text));
    if (at < 0) continue;
    const operands: string[] = [];
    for (let i = at + 1; i < words.length; i++) {
      const t = words[i].text;
      if (t === '-x' || t === '--strip-extension') i++;
      else if (!t.startsWith('-')) operands.push(t);
    }
    return operands.length >= 1 ? keyOf(operands[0]) : null;
  }
  return null;
}

/** Key of a local folder written in a setting (for archive_cleanup_command comparisons and tests). */
export function folderLocation(folder: string): WalLocation | null {
  return keyOf(folder);
}

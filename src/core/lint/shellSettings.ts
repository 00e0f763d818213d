// Shell commands among the settings (archive_command, restore_command, ...), analysed once each.
import { analyseCommand, type CommandFacts } from '../shell/commandFacts';
import type { Effective, RuleContext } from './types';

const cache = new Map<string, CommandFacts>();

export function factsOf(command: string): CommandFacts {
  let f = cache.get(command);
  if (!f) {
    if (cache.size > 500) cache.clear();
    f = analyseCommand(command);
    cache.set(command, f);
  }
  return f;
}

/** `{{ wal_g_path }} wal-push %p`, `<%= @archive_command %>`: a template placeholder, filled in when deployed */
const TEMPLATE = /\{\{.*?\}\}|\{%.*?%\}|<%=?.*?%>/;

/**
 * The effective, non-empty value of a command setting with its analysis; undefined when there is
 * none, or when the value is a template still to be filled in (nothing can be said about it).
 */
export function commandSetting(ctx: RuleContext, name: string): { e: Effective; facts: CommandFacts } | undefined {
  const e = ctx.effective(name);
  if (!e || e.value.trim() === '' || TEMPLATE.test(e.value)) return undefined;
  return { e, facts: factsOf(e.value) };
}

/** Archiving tools and wrapper scripts guard, sync and check by themselves: trusted, not guessed at. */
export function isTrusted(facts: CommandFacts): boolean {
  return facts.tool !== null || facts.wrapperScript;
}

/** The archive folder of a plain local copy (`cp %p /mnt/archive/%f` -> /mnt/archive), if there is one. */
export function localArchiveDir(facts: CommandFacts): string | null {
  for (const c of facts.copies) {
    const d = c.destination;
    if (d && d.startsWith('/') && d.endsWith('/%f') && !d.includes('$')) return d.slice(0, -3) || '/';
  }
  return null;
}

/**
 * An archive_command that succeeds when an identical file is already archived, fails when a
 * different one is, and otherwise copies to a temporary name, syncs it and renames it.
 */
export function idempotentArchiveCommand(dir: string): string {
  return `f=${dir}/%f; if [ -f "$f" ]; then cmp -s "%p" "$f"; else cp "%p" "$f.tmp" && sync "$f.tmp" && mv "$f.tmp" "$f" && sync "${dir}"; fi`;
}

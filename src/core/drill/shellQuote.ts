// Quoting for the /bin/sh that runs restore_command: a word stays bare when it is only safe characters.

/** 'it''s' style quoting for sh: a single-quoted word, with ' written as '\'' */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

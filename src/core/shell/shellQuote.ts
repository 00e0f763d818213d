// POSIX shell quoting of one word, for commands pg-pitr shows or writes (a restore_command mirrored
// from an archive_command, a pg_basebackup preview). Words of safe characters stay bare.

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** `word` as /bin/sh reads it back unchanged: bare when safe, else single-quoted with ' as '\''. */
export function shellQuote(word: string): string {
  return word !== '' && SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** An argument list as one POSIX command line. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

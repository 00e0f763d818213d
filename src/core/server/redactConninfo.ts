// primary_conninfo may hold a password (pg_basebackup -R writes one when it was given one): it is
// redacted before the value leaves collectStatus, so it never reaches the sidebar, JSON or logs.

const MASK = '********';

/** The conninfo with every password replaced by ********: key=value (quoted or not) and URI userinfo (user:secret@). */
export function redactConninfo(conninfo: string): string {
  if (/^\s*postgres(ql)?:\/\//i.test(conninfo)) {
    return conninfo
      .replace(/^(\s*postgres(?:ql)?:\/\/[^:@/?#]*:)[^@/?#]*@/i, `$1${MASK}@`)
      .replace(/([?&]password=)[^&#]*/gi, `$1${MASK}`);
  }
  // libpq key/value syntax: password = 'it''s' | password=it\'s | password=plain
  return conninfo.replace(/(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|(?:[^\s\\]|\\.)+)/gi, `$1'${MASK}'`);
}

// primary_conninfo may hold a password (pg_basebackup -R writes one when it was given one), and
// since PostgreSQL 13 an sslpassword too: every secret is redacted before the value leaves
// collectStatus, so it never reaches the sidebar, JSON or logs.

const MASK = '********';

/** libpq keywords whose values are secrets (conninfo.ts keeps the same list for its messages). */
const SECRETS = ['password', 'sslpassword', 'oauth_client_secret', 'scram_client_key', 'scram_server_key'];

function decodedKey(raw: string): string {
  try {
    return decodeURIComponent(raw).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** The conninfo with every secret replaced by ********: key=value (quoted or not), URI userinfo (user:secret@) and URI parameters (libpq decodes %XX in their names too). */
export function redactConninfo(conninfo: string): string {
  if (/^\s*postgres(ql)?:\/\//i.test(conninfo)) {
    const userinfo = conninfo.replace(/^(\s*postgres(?:ql)?:\/\/[^:@/?#]*:)[^@/?#]*@/i, `$1${MASK}@`);
    const q = userinfo.indexOf('?');
    if (q === -1) return userinfo;
    const params = userinfo
      .slice(q + 1)
      .split('&')
      .map((part) => {
        const eq = part.indexOf('=');
        return eq !== -1 && SECRETS.includes(decodedKey(part.slice(0, eq))) ? `${part.slice(0, eq)}=${MASK}` : part;
      });
    return `${userinfo.slice(0, q + 1)}${params.join('&')}`;
  }
  // libpq key/value syntax: password = 'it\'s' | password=it\'s | password=plain (and the other secrets)
  const keys = SECRETS.join('|');
  return conninfo.replace(
    new RegExp(`(^|[\\s])((?:${keys})\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|(?:[^\\s\\\\]|\\\\.)+)`, 'gi'),
    `$1$2'${MASK}'`,
  );
}

// Last line of defence before text leaves the machine (notification bodies): libpq secrets in
// connection strings and NAME=value assignments of passwords, secrets, tokens and keys are
// replaced by ********. Health messages hold no password to begin with; this catches a setting
// (an archive_command with a key in it) quoted in a message.
import { redactConninfo } from '../server/redactConninfo';

const ASSIGNMENT =
  /\b([A-Za-z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_KEY|PRIVATE_KEY)[A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S+)/gi;

/** `text` with secrets masked. */
export function scrubSecrets(text: string): string {
  return redactConninfo(text)
    .replace(/(postgres(?:ql)?:\/\/[^:@/\s?#]*:)[^@/\s?#]*@/gi, '$1********@')
    .replace(ASSIGNMENT, '$1=********');
}

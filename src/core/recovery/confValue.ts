// Writing a value into postgresql.conf / recovery.conf so that the server reads back exactly
// that string: single-quoted, quotes doubled, backslashes doubled (the lexer treats \ as an escape).
import { quoteConfString } from '../conf/confQuote';
import { RecoveryRefusedError } from './types';

export function quoteConfValue(name: string, value: string): string {
  // a quoted string cannot span lines, and other control bytes would be silently kept
  if (/[\x00-\x1f\x7f]/.test(value))
    throw new RecoveryRefusedError(
      `${name} contains a line break or another control character: pg-pitr will not write it into a configuration file`,
    );
  return quoteConfString(value);
}

export function settingLine(name: string, value: string): string {
  return `${name} = ${quoteConfValue(name, value)}`;
}

// The exit status of a lint: 1 when the server would refuse the configuration (an error), when
// there are more warnings than allowed, or when the lint could not do its whole job (a rule failed,
// a read limit stopped the reading), since "0 errors" then proves nothing.
import { INCOMPLETE_LINT_RULES } from './lintEngine';
import type { Finding } from './types';

export function lintExitStatus(findings: readonly Finding[], maxWarnings = Infinity): 0 | 1 {
  let warnings = 0;
  for (const f of findings) {
    if (f.severity === 'error' || INCOMPLETE_LINT_RULES.has(f.rule)) return 1;
    if (f.severity === 'warning') warnings++;
  }
  return warnings > maxWarnings ? 1 : 0;
}

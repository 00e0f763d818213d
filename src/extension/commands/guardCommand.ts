// The one wrapper every command runs in: a failure is logged and shown the same way
// ("pg-pitr: <what> failed: <why>" with Show Log), never left as an unhandled rejection.
import { log, showErrorWithLog } from '../log';

/** `run`, with its failures shown and logged; resolves to undefined after a failure. */
export function guardCommand<R>(
  id: string,
  what: string,
  run: (...args: unknown[]) => R | Promise<R>,
): (...args: unknown[]) => Promise<R | undefined> {
  return async (...args) => {
    try {
      return await run(...args);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof Error && e.stack) log().debug(`${id}: ${e.stack}`);
      showErrorWithLog(`pg-pitr: ${what} failed: ${message}`);
      return undefined;
    }
  };
}

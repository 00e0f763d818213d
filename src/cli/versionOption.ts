// --pg-version for the CLI subcommands, over core's one major decision (catalog/majorChoice.ts).
import { chooseMajor, majorProblem, parseMajor } from '../core/catalog/majorChoice';
import { UsageError } from './usageError';

/** --pg-version N; else PG_VERSION in the data directory or beside the file; else the newest major. */
export function resolveMajor(
  option: string | undefined,
  dataDir: string | undefined,
  file: string | undefined,
): number {
  if (option === undefined) return chooseMajor({ dataDir, file }).major;
  const n = parseMajor(option);
  if (n === null) throw new UsageError(majorProblem('--pg-version', option));
  return n;
}

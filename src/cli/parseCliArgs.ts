// node:util parseArgs with its errors (unknown option, missing value) turned into usage errors (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';

import { UsageError } from './usageError';

export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

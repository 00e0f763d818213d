// pg-pitr's own block in postgresql.auto.conf: begin/end marker comments around the settings it
// wrote, so that the next run replaces that block instead of piling up settings.
import { RecoveryRefusedError } from './types';

export const BLOCK_BEGIN = '# pg-pitr recovery settings begin';
export const BLOCK_END = '# pg-pitr recovery settings end';

/** 0-based [first, last] line indexes of the block (markers included), or null. */
export function findBlock(lines: string[], file: string): { first: number; last: number } | null {
  const isBegin = (l: string) => l.replace(/\r$/, '').startsWith(BLOCK_BEGIN);
  const isEnd = (l: string) => l.replace(/\r$/, '').startsWith(BLOCK_END);
  const first = lines.findIndex(isBegin);
  if (first < 0) {
    const stray = lines.findIndex(isEnd);
    if (stray >= 0)
      throw new RecoveryRefusedError(
        `${file} line ${stray + 1} has a pg-pitr end marker without a begin marker: repair or remove the block by hand`,
      );
    return null;
  }
  const last = lines.findIndex((l, i) => i > first && isEnd(l));
  if (last < 0)
    throw new RecoveryRefusedError(
      `${file} line ${first + 1} has a pg-pitr begin marker without an end marker: repair or remove the block by hand`,
    );
  const second = lines.findIndex((l, i) => i > last && isBegin(l));
  if (second >= 0)
    throw new RecoveryRefusedError(
      `${file} has more than one pg-pitr block (lines ${first + 1} and ${second + 1}): keep one by hand`,
    );
  return { first, last };
}

export function renderBlock(settingLines: string[], stamp: string): string[] {
  return [`${BLOCK_BEGIN} (written ${stamp}; pg-pitr replaces this block as a whole)`, ...settingLines, BLOCK_END];
}

// Settings already in the restored copy's configuration that would fight the generated ones,
// found with pg-pitr's port of the server's parser (so odd spacing, case, quoting and include
// files are read exactly as the server reads them).
import * as path from 'node:path';

import { AUTO_CONF } from '../conf/configReader';
import { canonicalizePath, type ConfItem, newParseState, parseConfigFile } from '../conf/parser';
import { bytesToText } from '../conf/settingsReport';
import { pathToBinary } from '../files/pathBytes';
import { RECOVERY_CONF_NAMES } from '../lint/rules/recoveryConfFile';
import { asConfFileSystem, type RecoveryFileSystem } from './recoveryFileSystem';
import { RecoveryRefusedError } from './types';

export interface EarlierSetting {
  file: string;
  /** 1-based */
  line: number;
  name: string;
  value: string | null;
}

/** Every setting item of postgresql.conf (with its includes) and postgresql.auto.conf, in read order. */
export function readDataDirSettings(dataDir: string, rfs: RecoveryFileSystem): ConfItem[] {
  const dir = canonicalizePath(path.posix.resolve(dataDir));
  const opts = { fs: asConfFileSystem(rfs), dataDir: dir };
  const items: ConfItem[] = [];
  // each top-level file on its own: a broken include in postgresql.conf must not hide auto.conf
  for (const [file, strict] of [
    [`${dir}/postgresql.conf`, false],
    [AUTO_CONF, false],
  ] as const) {
    const state = newParseState();
    parseConfigFile(pathToBinary(file), strict, null, 0, 0, opts, state);
    // a bounded reading that stopped cannot tell what the rest of the files set
    if (state.stopped) {
      throw new RecoveryRefusedError(
        `${bytesToText(state.stopped.message)}: pg-pitr cannot tell which recovery settings the rest holds`,
      );
    }
    for (const item of state.items) if (item.name !== null) items.push(item);
  }
  return items;
}

/**
 * The settings that must not survive: on 12+ every recovery_target* (two different targets stop
 * the server); on 10-11 every recovery.conf parameter, which postgresql.conf does not know there.
 */
export function conflictingSettings(major: number, items: ConfItem[], dataDir: string): EarlierSetting[] {
  const dir = canonicalizePath(path.posix.resolve(dataDir));
  const out: EarlierSetting[] = [];
  for (const item of items) {
    const name = (item.name ?? '').toLowerCase();
    const conflicts = major >= 12 ? name.startsWith('recovery_target') : RECOVERY_CONF_NAMES.has(name);
    if (!conflicts) continue;
    const file = item.file === AUTO_CONF || item.file === null ? `${dir}/${AUTO_CONF}` : item.file;
    out.push({ file, line: item.line, name: item.name!, value: item.value });
  }
  return out;
}

// pg-pitr settings FILE [--pg-version N] [--data-dir DIR] [--format json|text]
import * as path from 'node:path';

import { getCatalog } from '../core/catalog/catalogs';
import { readConfiguration } from '../core/conf/configReader';
import { nodeFileSystem } from '../core/conf/fileSystem';
import { buildSettingsReport, bytesToText } from '../core/conf/settingsReport';
import { line } from '../core/text/safeText';
import { parseCliArgs } from './parseCliArgs';
import { UsageError } from './usageError';
import { resolveMajor } from './versionOption';

export const SETTINGS_USAGE = 'usage: pg-pitr settings FILE [--pg-version N] [--data-dir DIR] [--format json|text]';

export function runSettings(argv: string[], out: (s: string) => void): number {
  const { values, positionals } = parseCliArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'pg-version': { type: 'string' },
      'data-dir': { type: 'string' },
      format: { type: 'string', default: 'text' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('settings takes exactly one FILE');
  const format = values.format;
  if (format !== 'json' && format !== 'text') throw new UsageError(`--format must be json or text (got "${format}")`);
  const file = path.resolve(positionals[0]);
  const dataDir = values['data-dir'] !== undefined ? path.resolve(values['data-dir']) : undefined;
  const major = resolveMajor(values['pg-version'], dataDir, file);
  const result = readConfiguration({
    configFile: file,
    dataDir: dataDir ?? null,
    catalog: getCatalog(major),
    fs: nodeFileSystem(),
  });
  const report = buildSettingsReport(result, major);
  if (format === 'json') {
    out(JSON.stringify(report, null, 2));
  } else {
    for (const s of report.settings) {
      const mark = s.applied ? ' ' : s.error ? '!' : '-';
      out(
        line`${mark} ${s.file}:${s.line}: ${s.name} = '${s.value.replace(/'/g, "''")}'${s.error ? `  (${s.error})` : ''}`,
      );
    }
    for (let i = 0; i < report.errors.length; i++) {
      const e = report.errors[i];
      const src = result.errors[i];
      const where = e.file ? `${e.file}:${e.line ?? 0}:${e.column ?? 0}` : '(startup)';
      out(line`${where}: error ${e.kind}: ${e.message}`);
      if (src.detail) out(line`    DETAIL: ${src.detail}`);
      if (src.hint) out(line`    HINT: ${src.hint}`);
    }
    for (const info of result.infos) out(line`${info.file}:${info.line}: information: ${bytesToText(info.message)}`);
    if (report.incomplete) out(line`warning: ${report.incomplete}; the lists above are partial`);
    if (result.fatal) out(line`FATAL: ${bytesToText(result.fatal)}`);
    out(
      line`PostgreSQL ${major}: ${report.settings.length} settings in ${report.files.length} files, ${report.errors.length} errors`,
    );
  }
  return report.errors.length > 0 || report.incomplete !== null ? 1 : 0;
}

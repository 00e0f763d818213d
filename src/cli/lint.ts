// pg-pitr lint FILE... [--pg-version N] [--data-dir DIR] [--format text|json|sarif|github] [--max-warnings N]
// A lint that could not finish (a rule failed, a read limit was reached) exits 1 like an error.
import { createHash } from 'node:crypto';
import * as path from 'node:path';

import { getCatalog } from '../core/catalog/catalogs';
import { dataDirOfFile } from '../core/catalog/majorChoice';
import { nodeFileSystem } from '../core/conf/fileSystem';
import { lintConfiguration } from '../core/lint/lintEngine';
import { lintExitStatus } from '../core/lint/lintExitStatus';
import type { Finding } from '../core/lint/types';
import { line } from '../core/text/safeText';
import { toGithub, toJson, toSarif, toText } from './findingFormats';
import { parseCliArgs } from './parseCliArgs';
import { UsageError } from './usageError';
import { resolveMajor } from './versionOption';

export const LINT_USAGE =
  'usage: pg-pitr lint FILE... [--pg-version N] [--data-dir DIR] [--build vanilla|debian] ' +
  '[--format text|json|sarif|github] [--max-warnings N] [--explain-restarts]';

export function runLint(argv: string[], out: (s: string) => void, version: string): number {
  const { values, positionals } = parseCliArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'pg-version': { type: 'string' },
      'data-dir': { type: 'string' },
      format: { type: 'string', default: 'text' },
      'max-warnings': { type: 'string' },
      // restart-required hints are noise in CI: shown only on request
      'explain-restarts': { type: 'boolean', default: false },
      build: { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new UsageError('lint takes at least one FILE');
  const format = values.format;
  if (format !== 'json' && format !== 'text' && format !== 'sarif' && format !== 'github')
    throw new UsageError(`--format must be text, json, sarif or github (got "${format}")`);
  let maxWarnings = Infinity;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0)
      throw new UsageError(`--max-warnings must be a whole number (got "${values['max-warnings']}")`);
  }
  const build = values.build;
  if (build !== undefined && build !== 'vanilla' && build !== 'debian')
    throw new UsageError(`--build must be vanilla or debian (got "${build}")`);
  const all: Finding[] = [];
  const seen = new Set<string>();
  for (const f of positionals) {
    const file = path.resolve(f);
    const dataDir =
      values['data-dir'] !== undefined ? path.resolve(values['data-dir']) : (dataDirOfFile(file) ?? undefined);
    const major = resolveMajor(values['pg-version'], dataDir, file);
    for (const finding of lintConfiguration({
      configFile: file,
      dataDir: dataDir ?? null,
      catalog: getCatalog(major),
      fs: nodeFileSystem(),
      build,
    })) {
      if (finding.severity === 'hint' && !values['explain-restarts']) continue;
      // a digest, not the JSON itself: a million findings must not hold a second copy of themselves
      const key = createHash('sha1').update(JSON.stringify(finding)).digest('base64');
      if (seen.has(key)) continue;
      seen.add(key);
      all.push(finding);
    }
  }
  if (format === 'json') writeJsonArray(all, out);
  else if (format === 'sarif') out(JSON.stringify(toSarif(all, version), null, 2));
  else {
    for (const f of all) out(format === 'github' ? toGithub(f, process.cwd()) : toText(f));
    const count = (s: Finding['severity']) => all.filter((f) => f.severity === s).length;
    const hints = values['explain-restarts'] ? `, ${count('hint')} hints` : '';
    out(line`${count('error')} errors, ${count('warning')} warnings, ${count('information')} information${hints}`);
  }
  return lintExitStatus(all, maxWarnings);
}

/** JSON.stringify(findings.map(toJson), null, 2), written one finding at a time. */
function writeJsonArray(findings: Finding[], out: (s: string) => void): void {
  if (findings.length === 0) {
    out('[]');
    return;
  }
  out('[');
  findings.forEach((f, i) => {
    const text = JSON.stringify(toJson(f), null, 2).replace(/^/gm, '  ');
    out(i < findings.length - 1 ? `${text},` : text);
  });
  out(']');
}

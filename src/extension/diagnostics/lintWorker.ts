// The lint worker: runs lintConfiguration on its own thread, so that a slow or hostile
// configuration never blocks the extension host (other extensions, the editor's requests). It
// reads only through core's bounded file system; the editor stops it when it takes too long.
import { parentPort } from 'node:worker_threads';

import { getCatalog } from '../../core/catalog/catalogs';
import { nodeFileSystem, overlayFileSystem } from '../../core/conf/fileSystem';
import { lintConfiguration } from '../../core/lint/lintEngine';
import type { Finding } from '../../core/lint/types';
import type { LintRequest, LintResponse } from './lintProtocol';

/** The first `max` findings, and one that says how many more there are. */
export function capFindings(findings: Finding[], max: number, file: string): Finding[] {
  if (findings.length <= max) return findings;
  const kept = findings.slice(0, max);
  kept.push({
    rule: 'too-many-findings',
    severity: 'information',
    file,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    message: `pg-pitr shows the first ${max} of ${findings.length} findings; run pg-pitr lint for all of them`,
    fix: null,
  });
  return kept;
}

function handle(req: LintRequest): LintResponse {
  try {
    const overlay = new Map<string, Buffer>();
    for (const [p, bytes] of req.overlay) overlay.set(p, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    const findings = lintConfiguration({
      configFile: req.configFile,
      dataDir: req.dataDir,
      catalog: getCatalog(req.major),
      fs: overlayFileSystem(nodeFileSystem(), overlay),
    });
    return { id: req.id, findings: capFindings(findings, req.maxFindings, req.configFile) };
  } catch (e) {
    return { id: req.id, error: e instanceof Error ? e.message : String(e) };
  }
}

parentPort?.on('message', (req: LintRequest) => parentPort!.postMessage(handle(req)));

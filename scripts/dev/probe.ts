// Developer tool: print what each major's `postgres -C` says about a configuration text.
// usage: tsx scripts/dev/probe.ts 'postgresql.conf text' [majors...]
import * as fs from 'node:fs';
import * as path from 'node:path';

import { binDir, createCluster, destroyAllClusters, MAJORS, runAsUser } from '../../test/support/postgresServers';

async function main(): Promise<void> {
  const text = process.argv[2].replace(/\\n/g, '\n');
  const majors = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [...MAJORS];
  for (const m of majors) {
    const c = await createCluster(m);
    fs.writeFileSync(path.join(c.dataDir, 'postgresql.conf'), text);
    const r = await runAsUser(path.join(binDir(m), 'postgres'), [
      '-D',
      c.dataDir,
      '-c',
      'log_line_prefix=',
      '-C',
      'data_directory',
    ]);
    console.log(`== ${m} (exit ${r.code})\n${r.stderr.replaceAll(c.dataDir, 'DATA').trim()}`);
    await c.destroy();
  }
  await destroyAllClusters();
}
void main();

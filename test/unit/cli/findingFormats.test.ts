import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';

import { toSarif } from '../../../src/cli/findingFormats';
import type { Finding } from '../../../src/core/lint/types';

// Issue 15, wrong answers 7: SARIF artifact URIs are RFC 3986 file URIs that parse back to the path,
// whatever characters the path holds.

function finding(file: string): Finding {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  return {
    file,
    range,
    severity: 'error',
    rule: 'wal-level-minimal',
    message: 'm',
    fix: { title: 't', edits: [{ file, range, newText: 'x' }] },
  } as Finding;
}

describe('SARIF output', () => {
  const paths = [
    '/etc/postgresql/16/main/postgresql.conf',
    '/srv/a#b/postgresql.conf',
    '/srv/a?b=c/postgresql.conf',
    '/srv/100%/postgresql.conf',
    '/srv/my conf/post gresql.conf',
    '/srv/café/ü[1]{2}.conf',
    "/srv/it's;a,b&c=d+e/x.conf",
    '/srv/back\\slash/x.conf',
  ];

  it('artifact URIs (locations and fixes) parse back to the exact path', () => {
    const sarif = toSarif(paths.map(finding), '0.1.0') as {
      runs: Array<{
        results: Array<{
          locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
          fixes: Array<{ artifactChanges: Array<{ artifactLocation: { uri: string } }> }>;
        }>;
      }>;
    };
    const results = sarif.runs[0]!.results;
    for (const [i, p] of paths.entries()) {
      for (const uri of [
        results[i]!.locations[0]!.physicalLocation.artifactLocation.uri,
        results[i]!.fixes[0]!.artifactChanges[0]!.artifactLocation.uri,
      ]) {
        assert.equal(fileURLToPath(uri), p, uri);
        const u = new URL(uri);
        assert.equal(u.search, '', uri);
        assert.equal(u.hash, '', uri);
        // RFC 3986: only unreserved characters, sub-delims, ':', '@', '/' and %XX escapes in the path
        assert.match(uri, /^file:\/\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*$/, uri);
      }
    }
  });
});

// The reader must never throw or hang on arbitrary bytes, and must stay linear in the input.
import { strict as assert } from 'node:assert';

import fc from 'fast-check';

import { getCatalog } from '../../../src/core/catalog/catalogs';
import { readConfiguration } from '../../../src/core/conf/configReader';
import { memoryFileSystem } from '../../../src/core/conf/fileSystem';
import { buildSettingsReport } from '../../../src/core/conf/settingsReport';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10000);

function readBytes(bytes: Uint8Array, major = 18, autoBytes?: Uint8Array) {
  const files: Record<string, Buffer> = { '/d/postgresql.conf': Buffer.from(bytes) };
  if (autoBytes) files['/d/postgresql.auto.conf'] = Buffer.from(autoBytes);
  const result = readConfiguration({
    configFile: '/d/postgresql.conf',
    dataDir: '/d',
    catalog: getCatalog(major),
    fs: memoryFileSystem(files),
  });
  return buildSettingsReport(result, major);
}

// bytes biased towards what the lexer cares about
const interesting = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 255 }) },
  { weight: 5, arbitrary: fc.constantFrom(...Buffer.from('\n\r\t \'\\#=._-:/0xX1eE+a%"')) },
);

describe('reader fuzz', function () {
  this.timeout(15000); // 10,000 random inputs: a few seconds on a loaded machine
  it(`never throws on ${RUNS} arbitrary byte strings`, () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.array(interesting, { maxLength: 300 }).map((a) => Uint8Array.from(a)),
        ),
        fc.constantFrom(10, 12, 15, 18),
        (bytes, major) => {
          const report = readBytes(bytes, major);
          // every error has a message; every setting a line inside the file
          const lines = Buffer.from(bytes).toString('latin1').split('\n').length;
          for (const e of report.errors) assert.ok(e.message.length > 0);
          for (const st of report.settings) assert.ok(st.line >= 1 && st.line <= lines, `line ${st.line} of ${lines}`);
        },
      ),
      { numRuns: RUNS, seed: 42 },
    );
  });

  it('reads a 5 MB file of garbage without throwing, in linear time', () => {
    const big = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
    const report = readBytes(big);
    // the server gives up on a file after 100 syntax errors
    assert.equal(report.errors.filter((e) => e.kind === 'syntax').length, 101);
  });

  it('reads a file of one 2 MB unterminated quote', () => {
    const report = readBytes(Buffer.from("archive_command = '" + 'x'.repeat(2 * 1024 * 1024)));
    assert.equal(report.errors[0].message, 'syntax error in file "/d/postgresql.conf" line 1, near token "\'"');
  });
});

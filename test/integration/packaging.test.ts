// Budgets: the .vsix at most 3 MB, the activation bundle at most 1 MB, and node-postgres and the
// AWS SDK never in the activation bundle (loaded only when first needed).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

describe('packaging budgets', function () {
  this.timeout(180000);

  it('the production activation bundle is at most 1 MB and loads no heavy module', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-build-'));
    try {
      const r = spawnSync(process.execPath, ['scripts/build.mjs', '--production', '--outdir', out], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      const bundle = fs.readFileSync(path.join(out, 'extension.js'), 'utf8');
      assert.ok(bundle.length <= 1024 * 1024, `extension.js is ${bundle.length} bytes`);
      assert.doesNotMatch(
        bundle,
        /pg-connection-string|@aws-sdk\/client-s3|class Client extends EventEmitter/,
        'heavy modules must be loaded lazily',
      );
      // the heavy half is its own bundle, required by path on first use (src/extension/backendLoader.ts)
      const backend = fs.readFileSync(path.join(out, 'backend.js'), 'utf8');
      assert.match(backend, /checkServer/, 'dist/backend.js holds the server checks');
      assert.match(
        bundle,
        /require\([\w$]+\.join\(__dirname, ?"backend\.js"\)\)/,
        'extension.js loads backend.js beside it',
      );
      // linting runs on a worker thread started from lintWorker.js beside it (issue 15)
      // (minified: names are gone, so look for a rule's id, a string the engine keeps)
      const worker = fs.readFileSync(path.join(out, 'lintWorker.js'), 'utf8');
      assert.match(worker, /"custom-parameter-typo"/, 'dist/lintWorker.js holds the lint engine');
      assert.doesNotMatch(bundle, /"custom-parameter-typo"/, 'the lint engine is not in extension.js');
      assert.match(bundle, /join\(__dirname, ?"lintWorker\.js"\)/, 'extension.js starts lintWorker.js beside it');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('npm run package builds a .vsix of at most 3 MB with what the extension needs', () => {
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    const vsix = path.join(ROOT, `pg-pitr-${version}.vsix`);
    fs.rmSync(vsix, { force: true });
    const r = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const size = fs.statSync(vsix).size;
    assert.ok(size <= 3 * 1024 * 1024, `${vsix} is ${size} bytes`);
    for (const f of [
      'extension/dist/extension.js',
      'extension/dist/backend.js',
      'extension/dist/lintWorker.js',
      'extension/media/servers.svg',
      'extension/dist/cli.js',
      'extension/dist/data/pg18.json',
      'extension/syntaxes/postgresql-conf.tmLanguage.json',
      'extension/snippets/postgresql-conf.json',
    ]) {
      assert.ok(r.stdout.includes(f.split('/').pop()!), `${f} packaged`);
    }
    assert.doesNotMatch(
      r.stdout,
      /node_modules|\.map\b|src\/|test\//,
      'no sources, maps or dependencies in the package',
    );
  });
});

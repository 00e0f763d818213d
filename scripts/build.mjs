// Bundles the extension (activation entry, its lazily loaded backend, its lint worker) and the CLI with esbuild.
import { build } from 'esbuild';

import fs from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const outdir = process.argv.includes('--outdir') ? process.argv[process.argv.indexOf('--outdir') + 1] : 'dist';
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

// parameter catalogs are loaded on first use from dist/data (see src/core/catalog/catalogs.ts)
fs.mkdirSync(path.join(outdir, 'data'), { recursive: true });
for (const f of fs.readdirSync('src/core/catalog/data')) {
  if (f.endsWith('.json'))
    fs.writeFileSync(
      path.join(outdir, 'data', f),
      JSON.stringify(JSON.parse(fs.readFileSync(path.join('src/core/catalog/data', f), 'utf8'))),
    );
}

await Promise.all([
  build({
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: path.join(outdir, 'extension.js'),
    format: 'cjs',
    external: ['vscode'],
  }),
  // the extension's heavy half (pg, AWS SDK), required from dist/extension.js on first use
  build({
    ...common,
    entryPoints: ['src/extension/backend.ts'],
    outfile: path.join(outdir, 'backend.js'),
    format: 'cjs',
    external: ['vscode'],
  }),
  // configuration linting on a worker thread, so that no file can block the extension host
  build({
    ...common,
    entryPoints: ['src/extension/diagnostics/lintWorker.ts'],
    outfile: path.join(outdir, 'lintWorker.js'),
    format: 'cjs',
  }),
  build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: path.join(outdir, 'cli.js'),
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  }),
  // the timeline webview's script (src/extension/timeline/webview), run by the editor's browser
  build({
    ...common,
    entryPoints: ['src/extension/timeline/webview/timelineWebview.ts'],
    outfile: path.join(outdir, 'webview', 'timeline.js'),
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
  }),
]);

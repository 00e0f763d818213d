import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { escapeBlock, escapeInline, excerpt, hasUnsafeCharacters, line } from '../../../src/core/text/safeText';

const ROOT = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

describe('safe text (one escaping module for every output)', () => {
  it('escapeInline: C0 (tab and newline too), DEL, C1, bidi controls and line separators become escapes', () => {
    assert.equal(escapeInline('a\nb\rc\td'), 'a\\nb\\rc\\td');
    assert.equal(escapeInline('\u001b]0;title\u0007'), '\\u001b]0;title\\u0007');
    assert.equal(escapeInline('\u007f\u0085\u009b'), '\\u007f\\u0085\\u009b');
    assert.equal(
      escapeInline('abc\u202egnp.sh\u2066\u2069\u200e\u061c'),
      'abc\\u202egnp.sh\\u2066\\u2069\\u200e\\u061c',
    );
    assert.equal(escapeInline('x\u2028y\u2029'), 'x\\u2028y\\u2029');
    assert.equal(escapeInline('café ✓ 日本 \\ "q"'), 'café ✓ 日本 \\ "q"');
  });

  it('escapeBlock keeps newlines and tabs, escapes the rest; the result stays valid inside JSON', () => {
    assert.equal(escapeBlock('a\n\tb\u001b[2J\u202e'), 'a\n\tb\\u001b[2J\\u202e');
    const json = JSON.stringify({ name: 'x\u202e\u0085y\u001b' }, null, 2);
    assert.deepEqual(JSON.parse(escapeBlock(json)), { name: 'x\u202e\u0085y\u001b' });
    assert.equal(hasUnsafeCharacters(escapeBlock(json).replace(/\n/g, '')), false);
  });

  it('the line tag escapes what is interpolated, never the literal parts', () => {
    const name = 'notes\nOK: all good';
    assert.equal(line`  unexpected-file: ${name}: ${42}`, '  unexpected-file: notes\\nOK: all good: 42');
    assert.equal(line`${'a'}`, 'a');
  });

  it('excerpt: short, escaped, quoted; never half a surrogate pair', () => {
    assert.equal(excerpt('root:*:20228:0:99999:7:::'), '"root:*:20228:0:99999:7:::"');
    assert.equal(excerpt('x'.repeat(50)), `"${'x'.repeat(40)}"...`);
    assert.equal(excerpt('a"b\u001b'), '"a\\"b\\u001b"');
    assert.equal(excerpt(`${'x'.repeat(39)}😀z`), `"${'x'.repeat(39)}"...`);
  });

  it('every output path goes through it: no raw show*Message, every CLI line template tagged', () => {
    const raw = sources('src/extension')
      .filter((f) => !f.endsWith('safeMessages.ts'))
      .filter((f) =>
        /vscode\.window\.show(Information|Warning|Error)Message\(/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')),
      );
    assert.deepEqual(raw, [], 'use src/extension/safeMessages.ts');
    const untagged = sources('src/cli').flatMap((f) =>
      [...fs.readFileSync(path.join(ROOT, f), 'utf8').matchAll(/\b(?:out|err)\(\s*`[^`]*\$\{/g)].map(
        (m) => `${f}: ${m[0]}`,
      ),
    );
    assert.deepEqual(untagged, [], 'interpolated CLI output lines use safeText.line`...`');
  });
});

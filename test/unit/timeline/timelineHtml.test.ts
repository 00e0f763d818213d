// The webview page: a Content-Security-Policy with the nonce only, nothing remote, no inline handler.
import { strict as assert } from 'node:assert';

import { contentSecurityPolicy, makeNonce, timelinePage } from '../../../src/extension/timeline/timelineHtml';
import { readFromWebview } from '../../../src/extension/timeline/timelineMessages';

describe('timeline webview page', () => {
  it('allows only the nonce’d script and style', () => {
    const nonce = makeNonce();
    assert.match(nonce, /^[A-Za-z0-9]{20,}$/);
    assert.notEqual(makeNonce(), nonce);
    assert.equal(
      contentSecurityPolicy('abc', 'https://x.vscode-cdn.net'),
      "default-src 'none'; img-src https://x.vscode-cdn.net data:; font-src https://x.vscode-cdn.net; style-src 'nonce-abc'; script-src 'nonce-abc'",
    );
    const page = timelinePage({
      nonce: 'abc',
      cspSource: 'vscode-resource:',
      scriptUri: 'vscode-resource:/dist/webview/timeline.js',
      title: 'T <b>',
      subtitle: '/a&b',
      problems: ['p<1>'],
      notes: [],
    });
    assert.equal((page.match(/<script/g) ?? []).length, 1);
    assert.match(page, /<script nonce="abc" src="vscode-resource:\/dist\/webview\/timeline\.js"><\/script>/);
    assert.match(page, /<style nonce="abc">/);
    assert.doesNotMatch(page, /\son[a-z]+=/i, 'no inline event handler');
    assert.doesNotMatch(page, /\sstyle="/, 'no style attribute');
    assert.doesNotMatch(page, /https?:\/\//, 'nothing remote');
    assert.match(page, /T &lt;b&gt;/);
    assert.match(page, /<li>p&lt;1&gt;<\/li>/);
  });

  it('accepts only well-formed messages from the webview', () => {
    assert.deepEqual(readFromWebview({ type: 'pick', timeline: 2, ms: 1795482060000, zone: 'Europe/Paris' }), {
      type: 'pick',
      timeline: 2,
      ms: 1795482060000,
      zone: 'Europe/Paris',
    });
    assert.deepEqual(readFromWebview({ type: 'ready' }), { type: 'ready' });
    for (const bad of [
      null,
      'pick',
      { type: 'pick', timeline: '2', ms: 1, zone: 'UTC' },
      { type: 'pick', timeline: 0, ms: 1, zone: 'UTC' },
      { type: 'pick', timeline: 1, ms: Infinity, zone: 'UTC' },
      { type: 'run', command: 'rm -rf /' },
    ]) {
      assert.equal(readFromWebview(bad), null, JSON.stringify(bad));
    }
  });
});

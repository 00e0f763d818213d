// `pg-pitr archive check --format svg|html` on a real archive (two timelines, a lost gap, two base
// backups, written by a real PostgreSQL): the SVG is well-formed XML holding the expected lanes,
// bands and gap; both files render in headless Chromium to a PNG of the expected size.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { XMLParser, XMLValidator } from 'fast-xml-parser';

import { requireServer } from '../support/postgresServers';
import { type TimelineArchive, twoTimelineArchive } from '../support/timelineArchives';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const CHROMIUM = process.env.PG_PITR_CHROMIUM ?? '/usr/bin/chromium';
const MAJOR = 17;

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

type Node = Record<string, unknown>;
/** Every element named `tag` below `node`, depth first (fast-xml-parser's preserveOrder form). */
function elements(node: unknown, tag: string, out: Node[] = []): Node[] {
  if (Array.isArray(node)) for (const n of node) elements(n, tag, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Node)) {
      if (k === ':@') continue;
      if (k === tag) out.push(node as Node);
      elements(v, tag, out);
    }
  }
  return out;
}
const attrs = (n: Node) => (n[':@'] ?? {}) as Record<string, string>;

describe('pg-pitr archive check --format svg and html (real archive, real browser)', function () {
  this.timeout(240_000);
  let a: TimelineArchive;
  let out: string;

  before(async function () {
    if (!requireServer(MAJOR, this)) return;
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI === 'true')
        throw new Error(`Chromium is missing at ${CHROMIUM} (Debian: apt-get install chromium)`);
      console.warn(`*** timeline output test SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
      this.skip();
    }
    a = await twoTimelineArchive(MAJOR, 300);
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-timeline-out-'));
  });
  after(async () => {
    await a?.destroy();
    if (out) fs.rmSync(out, { recursive: true, force: true });
  });

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, 'archive', 'check', a.archive, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });

  it('svg: well-formed, with two lanes, the bands of backups A and B and the lost gap; exit status as for text', async () => {
    const r = cli('--format', 'svg', '--time-zone', 'Europe/Paris');
    // the newest backup (B) reaches the newest segment: the gap on timeline 1 is before it
    assert.equal(r.status, 0, r.stderr);
    assert.equal(XMLValidator.validate(r.stdout), true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true }).parse(
      r.stdout,
    );
    const svg = elements(doc, 'svg')[0]!;
    const { width, height } = attrs(svg);
    assert.equal(width, '1200');
    const lanes = elements(doc, 'g').filter((g) => attrs(g).class === 'tl-lane');
    assert.deepEqual(
      lanes.map((g) => attrs(g)['data-lane']),
      ['1', '2'],
    );
    const rects = elements(doc, 'rect').map(attrs);
    const bands = rects.filter((x) => x['data-kind'] === 'band');
    assert.deepEqual(
      bands.map((b) => b['data-lane']),
      ['1', '1', '2'],
      'timeline 1: A up to the gap, B after it; timeline 2: B through the switch',
    );
    const gaps = rects.filter((x) => x['data-kind'] === 'gap');
    assert.deepEqual(
      gaps.map((g) => [g['data-lane'], g['data-class']]),
      [['1', 'lost']],
    );
    assert.ok(Number(gaps[0]!.width) >= 4);
    assert.ok(rects.some((x) => x['data-kind'] === 'band' && x['data-lane'] === '2'));
    assert.match(r.stdout, new RegExp(`1 missing<`));
    assert.match(r.stdout, new RegExp(a.removed!));
    assert.match(r.stdout, /Europe\/Paris/);
    fs.writeFileSync(path.join(out, 'timeline.svg'), r.stdout);

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      await page.goto(`file://${path.join(out, 'timeline.svg')}`);
      const png = await page
        .locator('svg')
        .first()
        .screenshot({ path: path.join(out, 'timeline-svg.png') });
      assert.deepEqual(pngSize(png), { width: 1200, height: Number(height) });
      assert.ok(png.length > 20_000, `a picture, not an empty box (${png.length} bytes)`);
    } finally {
      await browser.close();
    }
  });

  it('html: one self-contained page (no external resource) with the picture and the tables, rendered at its width', async () => {
    const r = cli('--format', 'html', '--time-zone', 'UTC');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^<!DOCTYPE html>/);
    assert.doesNotMatch(r.stdout, /<script|<link|src=|href=/i);
    assert.match(r.stdout, /<caption>Recoverable ranges/);
    assert.match(r.stdout, /<th scope="row">backup A<\/th>/);
    assert.match(r.stdout, /<th scope="row">backup B<\/th>/);
    fs.writeFileSync(path.join(out, 'timeline.html'), r.stdout);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const requests: string[] = [];
      page.on('request', (q) => requests.push(q.url()));
      await page.goto(`file://${path.join(out, 'timeline.html')}`);
      assert.deepEqual(requests, [`file://${path.join(out, 'timeline.html')}`], 'nothing else is loaded');
      const png = await page.screenshot({ fullPage: false });
      assert.deepEqual(pngSize(png), { width: 1280, height: 800 });
      assert.equal(await page.locator('svg g.tl-lane').count(), 2);
      assert.equal((await page.locator('table.tl-table').count()) >= 4, true);
    } finally {
      await browser.close();
    }
  });

  it('usage errors: an unknown format or zone, picture options without a picture format', () => {
    assert.match(cli('--format', 'png').stderr, /--format must be text, json, svg or html \(got "png"\)/);
    assert.match(cli('--format', 'svg', '--time-zone', 'Mars/Olympus').stderr, /--time-zone must be an IANA zone/);
    const r = cli('--time-zone', 'UTC');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--time-zone, --restore-points and --drills apply to --format svg and html/);
  });
});

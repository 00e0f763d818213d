// The SVG renderer: what the picture holds for a model (lanes, bands, the gap), that it draws runs
// and not segments, never hides a lost gap, escapes every text and carries no style attribute (the
// webview's Content-Security-Policy forbids them).
import { strict as assert } from 'node:assert';

import { describeMark } from '../../../src/core/timeline/markText';
import { fitAll, laneOrder, renderTimelineSvg } from '../../../src/core/timeline/renderSvg';
import { timelineSvgDocument } from '../../../src/core/timeline/timelineDocument';
import { MIN, seg, T0, TestArchive, twoTimelines } from './timelineArchive';

const count = (svg: string, re: RegExp) => (svg.match(re) ?? []).length;

describe('timeline SVG renderer', () => {
  it('one lane per timeline, a band per recoverable range, the gap as a red mark, the branch drawn', async () => {
    const { model } = await twoTimelines().timeline();
    const { svg, geometry } = renderTimelineSvg(model, { width: 1200, ...fitAll(model), zone: 'UTC' });
    assert.deepEqual(geometry.lanes, [1, 2]);
    assert.equal(count(svg, /<g class="tl-lane" data-lane="\d+">/g), 2);
    assert.equal(count(svg, /data-kind="band" data-lane="1"/g), 2);
    assert.equal(count(svg, /data-kind="band" data-lane="2"/g), 1);
    assert.equal(count(svg, /data-kind="gap" data-class="lost" data-lane="1"/g), 1);
    assert.equal(count(svg, /data-kind="fork" data-lane="2"/g), 1);
    assert.equal(count(svg, /data-kind="backup"/g), 2);
    assert.match(svg, />3 missing</);
    assert.doesNotMatch(svg, /\sstyle="/);
  });

  it('the band’s pixels are its times on the axis', async () => {
    const { model } = await twoTimelines().timeline();
    const from = T0;
    const to = T0 + 600 * MIN;
    const { svg, geometry } = renderTimelineSvg(model, { width: 1332, from, to, zone: 'UTC' });
    // 1200 px for 600 minutes: 2 px a minute; the first band is minutes 60..180
    assert.equal(geometry.plotRight - geometry.plotLeft, 1176);
    const band = /<rect class="tl-band" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*data-lane="1"/.exec(svg)!;
    const px = (m: number) => geometry.plotLeft + (m * (geometry.plotRight - geometry.plotLeft)) / 600;
    assert.equal(Number(band[1]), Math.round(px(60) * 10) / 10);
    assert.ok(Math.abs(Number(band[2]) - (px(180) - px(60))) < 0.2);
  });

  it('a one-segment gap in three months of WAL is still visible (never narrower than 4 px)', async () => {
    const a = new TestArchive().segments(1, 1, 13_140, T0, 10 * MIN, [7_000]);
    const { model } = await a.timeline({ now: T0 + 13_140 * 10 * MIN });
    const { svg } = renderTimelineSvg(model, { width: 1000, ...fitAll(model), zone: 'UTC' });
    const gap = /<rect class="tl-gap tl-gap-lost" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/.exec(svg)!;
    assert.ok(Number(gap[1]) >= 4, gap[0]);
  });

  it('draws runs, not segments: 1,000 gaps on 1000 px become at most one mark per few pixels', async () => {
    const skip = Array.from({ length: 1000 }, (_, i) => 10 + i * 10);
    const a = new TestArchive().segments(1, 1, 10_010, T0, MIN, skip);
    const { model } = await a.timeline();
    assert.equal(model.lanes[0]!.gaps.length, 1000);
    const { svg } = renderTimelineSvg(model, { width: 1000, ...fitAll(model), zone: 'UTC' });
    assert.ok(count(svg, /class="tl-run"/g) <= 900, `${count(svg, /class="tl-run"/g)} runs drawn`);
    assert.ok(
      count(svg, /class="tl-gap tl-gap-lost"/g) <= 300,
      `${count(svg, /class="tl-gap tl-gap-lost"/g)} gaps drawn`,
    );
    assert.ok(svg.length < 400_000, `${svg.length} characters`);
  });

  it('a mark’s data attributes lead back to its details (the webview’s hover)', async () => {
    const { model } = await twoTimelines().timeline();
    const { svg } = renderTimelineSvg(model, { width: 1200, ...fitAll(model), zone: 'UTC' });
    const gap = /data-kind="gap" data-class="lost" data-lane="(\d+)" data-gap="([\d,]+)"/.exec(svg)!;
    assert.equal(
      describeMark(model, { kind: 'gap', lane: gap[1], gap: gap[2] }, 'UTC'),
      `3 segments missing (lost): ${seg(1, 20)} … ${seg(1, 22)}\nfrom ~2026-11-23 09:00:00+00:00 to ~2026-11-23 09:40:00+00:00`,
    );
    const backup = /data-kind="backup" data-lane="1" data-ids="(\d+)"/.exec(svg)!;
    assert.match(
      describeMark(model, { kind: 'backup', lane: '1', ids: backup[1] }, 'UTC'),
      /^Base backup A\nstarted 2026-11-23 06:45:00\+00:00\nended 2026-11-23 07:00:00\+00:00 \(exact: STOP TIME in the backup history file\)/,
    );
    assert.equal(describeMark(model, { kind: 'gap', lane: '9', gap: '0' }, 'UTC'), '');
  });

  it('lanes: children right below their parent', () => {
    const lane = (timeline: number, parent: number | null) =>
      ({ timeline, parent }) as Parameters<typeof laneOrder>[0][number];
    assert.deepEqual(
      laneOrder([lane(1, null), lane(2, 1), lane(3, 1), lane(4, 2), lane(5, 9)]).map((l) => l.timeline),
      [1, 2, 4, 3, 5],
    );
  });

  it('escapes labels and names (a backup label is user text)', async () => {
    const a = twoTimelines().backup(1, 33, 34, {
      label: 'x"><script>alert(1)</script>&',
      startTime: '2026-11-23 11:20:00 UTC',
      stopTime: '2026-11-23 11:30:00 UTC',
    });
    const { model } = await a.timeline();
    const doc = timelineSvgDocument(model, { zone: 'Europe/Paris' });
    assert.doesNotMatch(doc, /<script/);
    assert.match(doc, /x&quot;&gt;&lt;script&gt;/);
  });

  it('the standalone file: XML declaration, its own style first, a heading with the verdict, native tooltips', async () => {
    const { model } = await twoTimelines().timeline();
    const doc = timelineSvgDocument(model, { zone: 'Europe/Paris', width: 1000 });
    assert.match(
      doc,
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="tl-svg" width="1000" height="\d+"[^>]*><style>/,
    );
    assert.match(doc, /@media \(prefers-color-scheme: dark\)/);
    assert.match(doc, /<text class="tl-zone"[^>]*>UTC\+01:00<\/text>/);
    assert.match(doc, /<title>Recoverable on timeline 2\nfrom 2026-11-23 12:55:00\+01:00/);
  });
});

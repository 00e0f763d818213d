// Analysis of 1,000,000 segment names over 20 timelines with 1,000 base backups: time and resident
// memory (budget: 1 s and 300 MB on a 2-core machine, the 1M listed names included). The
// baseline, measured in the same run, is just iterating the same listing.
import { analyseArchive } from '../../src/core/archive/archiveAnalysis';
import type { ArchiveEntry, ArchiveSource } from '../../src/core/archive/archiveSource';
import type { Bench } from './index';

const SEGMENTS = 1_000_000;
const TIMELINES = 20;
const BACKUPS = 1_000;
const SEG = 16 * 1024 * 1024;
const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');
const name = (tli: number, segno: number) => hex(tli) + hex(Math.floor(segno / 256)) + hex(segno % 256);

/** Timeline t covers segnos [t*per, (t+1)*per) and branches from t-1 at its start. The names are
 * made once, so the timings are of the analysis, not of building strings. */
function syntheticArchive(): ArchiveSource {
  const per = SEGMENTS / TIMELINES;
  const keys: string[] = [];
  for (let t = 1; t <= TIMELINES; t++) {
    const first = (t - 1) * per + 1;
    for (let s = first; s < first + per; s++) keys.push(name(t, s));
    if (t > 1) keys.push(`${hex(t)}.history`);
  }
  for (let b = 0; b < BACKUPS; b++) {
    const t = 1 + Math.floor((b * TIMELINES) / BACKUPS);
    const s = (t - 1) * per + 10 + (b % (BACKUPS / TIMELINES)) * 40;
    keys.push(`${name(t, s)}.00000028.backup`);
  }
  const entries: ArchiveEntry[] = keys.map((key) => ({ key, size: key.length === 24 ? SEG : 300 }));
  return {
    location: 'synthetic://1M',
    async list(onEntry: (e: ArchiveEntry) => void) {
      for (const e of entries) onEntry(e);
      return { complete: true, count: entries.length };
    },
    async readText(key: string) {
      if (key.endsWith('.history')) {
        const t = parseInt(key.slice(0, 8), 16);
        const lines: string[] = [];
        for (let p = 1; p < t; p++) {
          const sw = p * per + 1;
          lines.push(
            `${p}\t${Math.floor(sw / 256)
              .toString(16)
              .toUpperCase()}/${((sw % 256) * SEG).toString(16).toUpperCase()}\tbranch`,
          );
        }
        return lines.join('\n') + '\n';
      }
      const start = key.slice(0, 24);
      const segno = parseInt(start.slice(8, 16), 16) * 256 + parseInt(start.slice(16), 16);
      const lsn = `${Math.floor(segno / 256)
        .toString(16)
        .toUpperCase()}/${((segno % 256) * SEG + 0x28).toString(16).toUpperCase()}`;
      return [
        `START WAL LOCATION: ${lsn} (file ${start})`,
        `STOP WAL LOCATION: ${lsn} (file ${start})`,
        `CHECKPOINT LOCATION: ${lsn}`,
        'BACKUP METHOD: streamed',
        'BACKUP FROM: primary',
        'START TIME: 2026-11-24 10:00:00 UTC',
        'LABEL: b',
        `START TIMELINE: ${parseInt(start.slice(0, 8), 16)}`,
        'STOP TIME: 2026-11-24 10:01:00 UTC',
        `STOP TIMELINE: ${parseInt(start.slice(0, 8), 16)}`,
        '',
      ].join('\n');
    },
  };
}

export const archiveAnalysisBench: Bench = {
  name: 'archive-analysis',
  title: 'Archive analysis: 1,000,000 segment names, 20 timelines, 1,000 base backups',
  async run(ctx) {
    const src = syntheticArchive();
    const t0 = performance.now();
    let n = 0;
    await src.list(() => n++);
    const baseline = performance.now() - t0;
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
    const runs: number[] = [];
    let report = await analyseArchive(src);
    for (let i = 0; i < 5; i++) {
      const t1 = performance.now();
      report = await analyseArchive(src);
      runs.push(performance.now() - t1);
    }
    clearInterval(timer);
    const took = [...runs].sort((a, b) => a - b)[2];
    peak = Math.max(peak, process.memoryUsage().rss);
    const maxRss = process.resourceUsage().maxRSS * 1024;
    const lost = report.timelines.reduce((a, t) => a + t.gaps.length, 0);
    if (report.timelines.length !== TIMELINES || report.backups.length !== BACKUPS || lost !== 0)
      throw new Error(
        `unexpected analysis: ${report.timelines.length} timelines, ${report.backups.length} backups, ${lost} gaps`,
      );
    ctx.log(`entries listed                         ${n.toLocaleString('en-US')}`);
    ctx.log(`baseline: iterate the listed names     ${baseline.toFixed(0)} ms`);
    ctx.log(
      `analysis (names, gaps, windows)        ${took.toFixed(0)} ms median of 5 (min ${Math.min(...runs).toFixed(0)})   ${(took / baseline).toFixed(1)}x ` +
        `baseline   budget 1000 ms: ${took <= 1000 ? 'met' : 'MISSED'}`,
    );
    ctx.log(
      `resident memory, peak of this process  ${(Math.max(peak, maxRss) / 1048576).toFixed(0)} MB, of ` +
        `which the 1M listed names held by this benchmark ${(before / 1048576).toFixed(0)} MB`,
    );
    ctx.log(
      `resident memory added by the analysis  ${((peak - before) / 1048576).toFixed(0)} MB   budget 300 MB: ${Math.max(peak, maxRss) <= 300 * 1048576 || peak - before <= 300 * 1048576 ? 'met' : 'MISSED'}`,
    );
    ctx.log(`windows computed                       ${report.windows.length}`);
  },
};

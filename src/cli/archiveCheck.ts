// pg-pitr archive check LOCATION [--wal-segment-size 16MB] [--since SEGMENT] [--endpoint URL]
//   [--current SEGMENT] [--server-timeline N] [--acknowledge FROM:TO[:NOTE]]... [--format text|json|svg|html]
//   [--time-zone ZONE] [--restore-points FILE] [--drills FILE]
// Exit 0: the newest base backup recovers to the newest segment; 1: a gap or anomaly breaks that;
// 2: a usage or access error.
import * as fs from 'node:fs';

import { type AcknowledgedGap, analyseArchive, type ArchiveReport } from '../core/archive/archiveAnalysis';
import { openArchiveSource } from '../core/archive/openSource';
import { isS3Location } from '../core/archive/s3Location';
import { RestorePointLog, type RestorePointRecord } from '../core/recovery/restorePointLog';
import { line } from '../core/text/safeText';
import { archiveTimeline } from '../core/timeline/archiveTimeline';
import { defaultDrillLogFile, readDrillLog } from '../core/timeline/drillLog';
import { checkedZone } from '../core/timeline/timeAxis';
import { timelineHtmlDocument, timelineSvgDocument } from '../core/timeline/timelineDocument';
import { isValidSegmentSize } from '../core/wal/segmentNames';
import { parseCliArgs } from './parseCliArgs';
import { UsageError } from './usageError';

export const ARCHIVE_CHECK_USAGE =
  'usage: pg-pitr archive check LOCATION [--wal-segment-size 16MB] [--since SEGMENT] [--endpoint URL] ' +
  '[--current SEGMENT] [--server-timeline N] [--acknowledge FROM:TO[:NOTE]] [--format text|json|svg|html] ' +
  '[--time-zone ZONE] [--restore-points FILE] [--drills FILE]';

const SEGMENT = /^[0-9A-F]{24}$/;

export function parseSegmentSize(text: string): number {
  const m = /^(\d+)\s*(MB|GB)?$/i.exec(text.trim());
  const bytes = m ? Number(m[1]) * (m[2]?.toUpperCase() === 'GB' ? 1024 : 1) * 1024 * 1024 : NaN;
  if (!isValidSegmentSize(bytes))
    throw new UsageError(`--wal-segment-size must be a power of two from 1MB to 1GB (got "${text}")`);
  return bytes;
}

export async function runArchiveCheck(argv: string[], out: (s: string) => void): Promise<number> {
  const { values: v, positionals } = parseCliArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'wal-segment-size': { type: 'string' },
      since: { type: 'string' },
      endpoint: { type: 'string' },
      current: { type: 'string' },
      'server-timeline': { type: 'string' },
      acknowledge: { type: 'string', multiple: true },
      format: { type: 'string', default: 'text' },
      'time-zone': { type: 'string' },
      'restore-points': { type: 'string' },
      drills: { type: 'string' },
    },
  });
  if (positionals.length !== 1)
    throw new UsageError('archive check takes exactly one LOCATION (a folder or s3://bucket/prefix)');
  if (!['text', 'json', 'svg', 'html'].includes(v.format))
    throw new UsageError(`--format must be text, json, svg or html (got "${v.format}")`);
  const picture = v.format === 'svg' || v.format === 'html';
  const zone = v['time-zone'] ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  if (checkedZone(zone) !== zone)
    throw new UsageError(`--time-zone must be an IANA zone such as Europe/Paris or UTC (got "${zone}")`);
  if (!picture && (v['time-zone'] !== undefined || v['restore-points'] !== undefined || v.drills !== undefined))
    throw new UsageError('--time-zone, --restore-points and --drills apply to --format svg and html');
  for (const [name, value] of [
    ['since', v.since],
    ['current', v.current],
  ] as const) {
    if (value !== undefined && !SEGMENT.test(value))
      throw new UsageError(`--${name} must be a WAL segment name of 24 upper-case hex digits (got "${value}")`);
  }
  const acknowledged: AcknowledgedGap[] = (v.acknowledge ?? []).map((a) => {
    const [from, to, ...note] = a.split(':');
    if (!SEGMENT.test(from ?? '') || !SEGMENT.test(to ?? ''))
      throw new UsageError(`--acknowledge takes FROM:TO[:NOTE] with segment names (got "${a}")`);
    return { from, to, note: note.join(':') || undefined };
  });
  let source;
  try {
    source = openArchiveSource(positionals[0], { endpoint: v.endpoint });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const options = {
    segmentSize: v['wal-segment-size'] ? parseSegmentSize(v['wal-segment-size']) : undefined,
    since: v.since,
    current: v.current,
    serverTimeline: v['server-timeline'] !== undefined ? Number(v['server-timeline']) : undefined,
    acknowledged,
  };
  if (picture) {
    // the editor's timeline as a file: drills from their default log, restore points when given
    const restorePoints = v['restore-points'] !== undefined ? readRestorePoints(v['restore-points']) : [];
    const drills = readDrillLog(v.drills ?? defaultDrillLogFile());
    const local = isS3Location(positionals[0]) ? undefined : source.location;
    let built;
    try {
      built = await archiveTimeline(source, options, { now: Date.now(), restorePoints, drills }, local);
    } finally {
      await source.close?.();
    }
    const doc =
      v.format === 'svg' ? timelineSvgDocument(built.model, { zone }) : timelineHtmlDocument(built.model, { zone });
    out(doc.trimEnd());
    if (!built.report.listingComplete) return 2;
    return built.report.complete ? 0 : 1;
  }
  const report = await analyseArchive(source, options);
  if (v.format === 'json') out(JSON.stringify(toJson(report), null, 2));
  else printText(report, out);
  if (!report.listingComplete) return 2;
  return report.complete ? 0 : 1;
}

function toJson(r: ArchiveReport) {
  return {
    location: r.location,
    layout: r.layout,
    segmentSize: r.segmentSize,
    complete: r.complete,
    timelines: r.timelines.map((t) => ({
      timeline: t.timeline,
      first: t.first,
      last: t.last,
      segments: t.segments,
      gaps: t.gaps,
    })),
    backups: r.backups.map((b) => ({
      label: b.label,
      timeline: b.timeline,
      startWal: b.startWal,
      stopWal: b.stopWal,
      startLsn: b.startLsn,
      stopLsn: b.stopLsn,
      startTime: b.startTime,
      stopTime: b.stopTime,
    })),
    windows: r.windows.map((w) => ({ backup: w.backup, from: w.from, to: w.to })),
    anomalies: r.anomalies,
    problems: r.problems,
  };
}

function printText(r: ArchiveReport, out: (s: string) => void): void {
  const mb = r.segmentSize / (1024 * 1024);
  out(
    line`archive ${r.location} (layout ${r.layout}, ${mb >= 1024 ? mb / 1024 + ' GB' : mb + ' MB'} segments from ${r.segmentSizeSource})`,
  );
  if (!r.listingComplete) out('  listing INCOMPLETE: missing files prove nothing');
  for (const t of r.timelines) {
    out(
      line`  timeline ${t.timeline}${t.parent !== null ? ` (from ${t.parent} at ${t.switchLsn})` : ''}: ${t.segments} segments, ${t.first} .. ${t.last}`,
    );
    for (const g of t.gaps) {
      const note = g.note ? ` (${g.note})` : '';
      if (g.class === 'wrong-size')
        out(line`    WRONG SIZE: ${g.missing} segment(s) recovery refuses, ${g.from} .. ${g.to}${note}`);
      else out(line`    ${g.class === 'lost' ? 'GAP' : g.class}: ${g.missing} missing, ${g.from} .. ${g.to}${note}`);
    }
  }
  if (r.backups.length === 0) out('  no base backups found');
  for (const b of r.backups) {
    const w = r.windows.find((x) => x.backup === b.startWal);
    out(
      line`  backup ${b.label}: ${b.startWal} .. ${b.stopWal}${b.stopTime ? `, ended ${b.stopTime}` : ''} -> ${w ? `recoverable from ${w.from.lsn ?? '?'} to ${w.to.wal}` : 'NOT USABLE'}`,
    );
  }
  for (const a of r.anomalies) out(line`  ${a.kind}: ${a.name}: ${a.message}`);
  if (r.complete) out(line`OK: the newest base backup can be recovered to the newest segment (${r.latest})`);
  else for (const p of r.problems) out(line`PROBLEM: ${p}`);
}

/** pg-pitr's restore point log, read only (RestorePointLog sets an unreadable log aside: not a CLI's business). */
function readRestorePoints(file: string): RestorePointRecord[] {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new UsageError(`--restore-points: cannot read ${file}: ${code}`);
  }
  const log = parsed as { restorePoints?: unknown } | null;
  if (typeof log !== 'object' || log === null || !Array.isArray(log.restorePoints))
    throw new UsageError(`--restore-points: ${file} is not a pg-pitr restore point log`);
  return new RestorePointLog(file).list();
}

// pg-pitr archive check LOCATION [--wal-segment-size 16MB] [--since SEGMENT] [--endpoint URL]
//   [--current SEGMENT] [--server-timeline N] [--acknowledge FROM:TO[:NOTE]]... [--format text|json]
// Exit 0: the newest base backup recovers to the newest segment; 1: a gap or anomaly breaks that;
// 2: a usage or access error.
import { type AcknowledgedGap, analyseArchive, type ArchiveReport } from '../core/archive/archiveAnalysis';
import { openArchiveSource } from '../core/archive/openSource';
import { line } from '../core/text/safeText';
import { isValidSegmentSize } from '../core/wal/segmentNames';
import { parseCliArgs } from './parseCliArgs';
import { UsageError } from './usageError';

export const ARCHIVE_CHECK_USAGE =
  'usage: pg-pitr archive check LOCATION [--wal-segment-size 16MB] [--since SEGMENT] [--endpoint URL] [--current SEGMENT] [--server-timeline N] [--acknowledge FROM:TO[:NOTE]] [--format text|json]';

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
    },
  });
  if (positionals.length !== 1)
    throw new UsageError('archive check takes exactly one LOCATION (a folder or s3://bucket/prefix)');
  if (v.format !== 'json' && v.format !== 'text')
    throw new UsageError(`--format must be json or text (got "${v.format}")`);
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
  const report = await analyseArchive(source, {
    segmentSize: v['wal-segment-size'] ? parseSegmentSize(v['wal-segment-size']) : undefined,
    since: v.since,
    current: v.current,
    serverTimeline: v['server-timeline'] !== undefined ? Number(v['server-timeline']) : undefined,
    acknowledged,
  });
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

// recovery_target_time as pg-pitr writes it: always with an explicit UTC offset, so the server's
// timezone setting at recovery start cannot move the target. A time without an offset is read in
// a zone the user confirmed (an IANA name or ±HH:MM); a wall-clock time that a daylight-saving
// change skips or repeats is refused rather than guessed.
import { RecoveryRefusedError } from './types';

export interface ParsedTargetTime {
  /** what is written: 'YYYY-MM-DD HH:MM:SS[.ffffff]±HH:MM' */
  text: string;
  /** the instant, in milliseconds since the epoch (fraction below a millisecond dropped) */
  epochMs: number;
}

const TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const OFFSET_RE = /^([+-])(\d{2})(?::?(\d{2}))?$/;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** minutes east of UTC, or null when `text` is no offset */
function parseOffset(text: string): number | null {
  if (/^(Z|UTC|GMT|[+-]00(:?00)?)$/i.test(text)) return 0;
  const m = OFFSET_RE.exec(text);
  if (!m) return null;
  const h = Number(m[2]);
  const min = Number(m[3] ?? '0');
  if (h > 15 || min > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + min);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** the zone's offset from UTC (minutes) at an instant, from Intl's wall clock */
function zoneOffsetAt(zone: string, epochMs: number): number {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(epochMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((wall - Math.floor(epochMs / 1000) * 1000) / 60000);
}

function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a target time; refuses a time without offset when no zone was confirmed, an unknown
 * zone, an impossible date, or a wall-clock time that the zone skips or repeats.
 */
export function parseTargetTime(input: string, timeZone?: string): ParsedTargetTime {
  const s = input.trim();
  const m = TIME_RE.exec(s);
  if (!m) {
    throw new RecoveryRefusedError(
      `recovery target time "${input}" is not a time pg-pitr can write safely: use YYYY-MM-DD HH:MM[:SS[.ffffff]] ` +
        `with an optional offset (+02:00, -05, Z); for a zone name (Europe/Paris) give the time without offset ` +
        `and the zone separately`,
    );
  }
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  const frac = m[7] ?? '';
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const d = new Date(wallMs);
  if (
    d.getUTCFullYear() !== year ||
    d.getUTCMonth() !== month - 1 ||
    d.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new RecoveryRefusedError(`recovery target time "${input}" is not a valid date and time`);
  }
  const fracMs = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const wall = `${pad(year, 4)}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(second)}${frac ? '.' + frac : ''}`;

  let offset: number | null;
  if (m[8] !== undefined) {
    offset = parseOffset(m[8]);
    if (offset === null)
      throw new RecoveryRefusedError(`recovery target time "${input}" has an invalid UTC offset "${m[8]}"`);
  } else {
    if (timeZone === undefined || timeZone.trim() === '') {
      throw new RecoveryRefusedError(
        `recovery target time "${input}" has no UTC offset: confirm the time zone it is in (an IANA zone ` +
          `such as Europe/Paris, or an offset such as +02:00), or write the offset into the time`,
      );
    }
    const zone = timeZone.trim();
    const fixed = parseOffset(zone);
    if (fixed !== null) offset = fixed;
    else if (!isValidZone(zone) || (/^[A-Z]{3,5}T?$/i.test(zone) && !/^(UTC|GMT)$/i.test(zone))) {
      throw new RecoveryRefusedError(
        `unknown time zone "${zone}": give an IANA zone name (Europe/Paris, America/New_York) or an offset ` +
          `(+02:00); abbreviations such as EST or CEST are fixed offsets and are not accepted`,
      );
    } else {
      // the offsets around that day are the only candidates: keep those that map back to the same wall clock
      const candidates = new Set([
        zoneOffsetAt(zone, wallMs - 86_400_000),
        zoneOffsetAt(zone, wallMs),
        zoneOffsetAt(zone, wallMs + 86_400_000),
      ]);
      const fits = [...candidates].filter((o) => zoneOffsetAt(zone, wallMs - o * 60000) === o).sort((a, b) => b - a);
      if (fits.length === 0) {
        throw new RecoveryRefusedError(
          `recovery target time "${input}" does not exist in ${zone}: the clocks skip that hour (daylight-saving ` +
            `change); write the time with an explicit offset`,
        );
      }
      if (fits.length > 1) {
        throw new RecoveryRefusedError(
          `recovery target time "${input}" happens twice in ${zone} (the clocks go back): write it with ` +
            `an explicit offset, ${wall}${formatOffset(fits[0])} (the first) or ${wall}${formatOffset(fits[1])} (the second)`,
        );
      }
      offset = fits[0];
    }
  }
  return { text: `${wall}${formatOffset(offset)}`, epochMs: wallMs + fracMs - offset * 60000 };
}

/** An ISO-8601-ish instant from the window or the backup catalog, in milliseconds; null when unreadable. */
export function instantMs(text: string | null | undefined): number | null {
  if (!text) return null;
  try {
    return parseTargetTime(text).epochMs;
  } catch {
    const direct = Date.parse(text);
    return Number.isNaN(direct) ? null : direct;
  }
}

// Interpreting effective values the way the server does, for rules.
import { parseBool, parseInt32 } from '../conf/valueValidation';

export function isOn(value: string | undefined): boolean {
  return value !== undefined && parseBool(value) === true;
}

export function isOff(value: string | undefined): boolean {
  return value !== undefined && parseBool(value) === false;
}

/** archive_mode = on | always, or a hidden boolean spelling of on */
export function archiveModeEnabled(value: string | undefined): boolean {
  const v = (value ?? '').toLowerCase();
  return ['on', 'always', 'true', 'yes', '1'].includes(v);
}

export function walLevel(value: string | undefined): 'minimal' | 'replica' | 'logical' | undefined {
  const v = (value ?? '').toLowerCase();
  if (v === 'minimal') return 'minimal';
  if (v === 'replica' || v === 'archive' || v === 'hot_standby') return 'replica';
  if (v === 'logical') return 'logical';
  return undefined;
}

/** An integer setting in its base unit, or undefined when it does not parse. */
export function intValue(value: string | undefined, unit: string | null, major: number): number | undefined {
  if (value === undefined) return undefined;
  const r = parseInt32(value, unit, major);
  return r.ok ? r.value : undefined;
}

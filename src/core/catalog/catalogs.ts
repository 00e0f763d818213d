// Per-major parameter catalogs. The JSON files are generated from real servers by
// scripts/generateCatalog.ts. They are read on first use, not bundled: the build copies them
// (minified) next to the bundles in dist/data/, so activation does not parse nine catalogs.
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Catalog, CatalogParameter } from './types';

export const SUPPORTED_MAJORS = [10, 11, 12, 13, 14, 15, 16, 17, 18] as const;
export type SupportedMajor = (typeof SUPPORTED_MAJORS)[number];
export const NEWEST_MAJOR: SupportedMajor = 18;

const loaded = new Map<number, Catalog>();

/** dist/data next to a bundle, or ./data next to this source file (tests, tsx) */
function catalogFile(major: number): string {
  return path.join(__dirname, 'data', `pg${major}.json`);
}

export function isSupportedMajor(major: number): major is SupportedMajor {
  return (SUPPORTED_MAJORS as readonly number[]).includes(major);
}

export function getCatalog(major: number): Catalog {
  if (!isSupportedMajor(major)) {
    throw new Error(`PostgreSQL ${major} is not supported; supported major versions: ${SUPPORTED_MAJORS.join(', ')}`);
  }
  let c = loaded.get(major);
  if (!c) {
    c = JSON.parse(fs.readFileSync(catalogFile(major), 'utf8')) as Catalog;
    loaded.set(major, c);
  }
  return c;
}

/** PostgreSQL's guc_name_compare folding: ASCII A-Z only, independent of locale. */
export function foldParameterName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/**
 * Looks a parameter name up the way the server's find_option does: case-insensitively (ASCII
 * only; `ß` or a Turkish dotless i are not folded), then through the map of obsolete names
 * (sort_mem -> work_mem). Custom (dotted) names and unknown names give undefined.
 */
export function findParameter(catalog: Catalog, name: string): CatalogParameter | undefined {
  const folded = foldParameterName(name);
  const own = Object.prototype.hasOwnProperty;
  if (own.call(catalog.parameters, folded)) return catalog.parameters[folded];
  if (own.call(catalog.aliases, folded)) {
    const target = catalog.aliases[folded];
    if (target !== undefined && own.call(catalog.parameters, target)) return catalog.parameters[target];
  }
  return undefined;
}

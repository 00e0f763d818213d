// Per-major parameter catalogs. The JSON files are generated from real servers by
// scripts/generateCatalog.ts and imported statically so that esbuild bundles them.

import type { Catalog, CatalogParameter } from './types';
import pg10 from './data/pg10.json';
import pg11 from './data/pg11.json';
import pg12 from './data/pg12.json';
import pg13 from './data/pg13.json';
import pg14 from './data/pg14.json';
import pg15 from './data/pg15.json';
import pg16 from './data/pg16.json';
import pg17 from './data/pg17.json';
import pg18 from './data/pg18.json';

export const SUPPORTED_MAJORS = [10, 11, 12, 13, 14, 15, 16, 17, 18] as const;
export type SupportedMajor = (typeof SUPPORTED_MAJORS)[number];
export const NEWEST_MAJOR: SupportedMajor = 18;

// JSON imports are typed structurally with plain `string` fields; the generator guarantees the
// Catalog shape (test/integration/catalog.test.ts checks it against live servers).
const CATALOGS: Readonly<Record<SupportedMajor, Catalog>> = {
  10: pg10 as Catalog,
  11: pg11 as Catalog,
  12: pg12 as Catalog,
  13: pg13 as Catalog,
  14: pg14 as Catalog,
  15: pg15 as Catalog,
  16: pg16 as Catalog,
  17: pg17 as Catalog,
  18: pg18 as Catalog,
};

export function isSupportedMajor(major: number): major is SupportedMajor {
  return (SUPPORTED_MAJORS as readonly number[]).includes(major);
}

export function getCatalog(major: number): Catalog {
  if (!isSupportedMajor(major)) {
    throw new Error(`PostgreSQL ${major} is not supported; supported major versions: ${SUPPORTED_MAJORS.join(', ')}`);
  }
  return CATALOGS[major];
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

// Shape of a per-major parameter catalog. The JSON files in ./data are generated from real
// servers by scripts/generateCatalog.ts; nothing here needs a server at lint time.

export type ParameterType = 'bool' | 'integer' | 'real' | 'string' | 'enum';

/** pg_settings.context */
export type ParameterContext =
  'internal' | 'postmaster' | 'sighup' | 'superuser-backend' | 'backend' | 'superuser' | 'user';

export interface CatalogParameter {
  /** canonical, lower-case name as pg_settings shows it */
  name: string;
  type: ParameterType;
  /** pg_settings.unit: the base unit of integer/real parameters ('8kB', 'kB', 'MB', 'B', 'ms', 's', 'min', ...), else null */
  unit: string | null;
  /** bounds in the base unit, for integer/real parameters */
  min: number | null;
  max: number | null;
  /** values listed in pg_settings.enumvals (enum parameters only) */
  enumValues: string[] | null;
  /** spellings the server accepts but does not list (e.g. wal_level = hot_standby, archive_mode = yes) */
  hiddenEnumValues: string[];
  /** values valid only on some builds of this major (e.g. wal_compression = lz4); reported as information */
  buildDependentValues: string[];
  context: ParameterContext;
  /** pg_settings.boot_val */
  default: string | null;
  description: string;
  category: string;
}

export interface Catalog {
  major: number;
  /** server_version of the server the catalog was read from */
  serverVersion: string;
  /** keyed by canonical lower-case name */
  parameters: Record<string, CatalogParameter>;
  /** obsolete names the server maps to a current one (sort_mem -> work_mem) */
  aliases: Record<string, string>;
}

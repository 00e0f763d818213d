// PostgreSQL as packaged by Debian and apt.postgresql.org carries one extra parameter,
// extension_destdir (checked with `postgres --describe-config` of Debian 12's postgresql-15:
// superuser context, string, default empty). Vanilla builds refuse it as unknown.
import type { Catalog } from './types';

/** Where Debian keeps cluster configurations: /etc/postgresql/<major>/<cluster>/. */
const DEBIAN_LAYOUT = /(?:^|\/)etc\/postgresql\/[0-9]+(?:\.[0-9]+)?\/[^/]+\//;

/** A configuration file in Debian's layout (/etc/postgresql/N/main/...). */
export function isDebianLayout(configFile: string): boolean {
  return DEBIAN_LAYOUT.test(configFile);
}

const withDebian = new Map<number, Catalog>();

/** The catalog of a Debian build of this major: the vanilla one plus extension_destdir. */
export function debianCatalog(catalog: Catalog): Catalog {
  let c = withDebian.get(catalog.major);
  if (c && c.serverVersion === catalog.serverVersion) return c;
  c = {
    ...catalog,
    parameters: {
      ...catalog.parameters,
      extension_destdir: {
        name: 'extension_destdir',
        type: 'string',
        unit: null,
        min: null,
        max: null,
        enumValues: null,
        hiddenEnumValues: [],
        buildDependentValues: [],
        context: 'superuser',
        default: '',
        description: 'Path to prepend for extension loading (Debian builds).',
        category: 'File Locations',
      },
    },
  };
  withDebian.set(catalog.major, c);
  return c;
}

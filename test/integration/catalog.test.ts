// The committed catalogs (src/core/catalog/data/pg*.json) against live servers, plus the
// name lookup rules of findParameter.

import assert from 'node:assert/strict';
import * as path from 'node:path';

import {
  findParameter,
  foldParameterName,
  getCatalog,
  NEWEST_MAJOR,
  SUPPORTED_MAJORS,
} from '../../src/core/catalog/catalogs';
import type { Catalog } from '../../src/core/catalog/types';
import { binDir, type Cluster, createCluster, MAJORS, requireServer, runAsUser } from '../support/postgresServers';

describe('catalog lookup (findParameter, no server)', () => {
  it('covers exactly the harness majors', () => {
    assert.deepEqual([...SUPPORTED_MAJORS], [...MAJORS]);
    assert.equal(NEWEST_MAJOR, 18);
    for (const m of SUPPORTED_MAJORS) assert.equal(getCatalog(m).major, m);
    assert.throws(() => getCatalog(9), /PostgreSQL 9 is not supported/);
    assert.throws(() => getCatalog(19), /PostgreSQL 19 is not supported/);
  });

  it('folds ASCII letters only, like guc_name_compare', () => {
    const c = getCatalog(18);
    assert.equal(findParameter(c, 'WAL_LEVEL')?.name, 'wal_level');
    assert.equal(findParameter(c, 'Wal_Level')?.name, 'wal_level');
    assert.equal(findParameter(c, 'datestyle')?.name, 'DateStyle');
    assert.equal(findParameter(c, 'DATESTYLE')?.name, 'DateStyle');
    // U+212A KELVIN SIGN lower-cases to "k" in JavaScript, but not in PostgreSQL.
    assert.equal('wor\u212A_mem'.toLowerCase(), 'work_mem');
    assert.equal(findParameter(c, 'wor\u212A_mem'), undefined);
    assert.equal(foldParameterName('ÀB_c'), 'Àb_c');
  });

  it('resolves obsolete names (case-insensitively) to their current parameter', () => {
    for (const m of SUPPORTED_MAJORS) {
      const c = getCatalog(m);
      assert.equal(findParameter(c, 'sort_mem')?.name, 'work_mem', `pg${m}`);
      assert.equal(findParameter(c, 'SORT_MEM')?.name, 'work_mem', `pg${m}`);
      assert.equal(findParameter(c, 'Vacuum_Mem')?.name, 'maintenance_work_mem', `pg${m}`);
    }
    // ssl_ecdh_curve was a parameter of its own until 17 and an alias of ssl_groups in 18.
    assert.equal(findParameter(getCatalog(17), 'ssl_ecdh_curve')?.name, 'ssl_ecdh_curve');
    assert.equal(findParameter(getCatalog(18), 'SSL_ECDH_CURVE')?.name, 'ssl_groups');
  });

  it('finds nothing for unknown, custom or prototype-ish names', () => {
    const c = getCatalog(18);
    for (const n of [
      'checkpoint_segments',
      'wal_keep_segments',
      'pg_stat_statements.max',
      'constructor',
      '__proto__',
      'toString',
      '',
    ]) {
      assert.equal(findParameter(c, n), undefined, n);
    }
    assert.equal(findParameter(getCatalog(12), 'wal_keep_segments')?.name, 'wal_keep_segments');
  });

  it('catalog files are in canonical form (sorted, folded keys)', () => {
    for (const m of SUPPORTED_MAJORS) {
      const c = getCatalog(m);
      const keys = Object.keys(c.parameters);
      assert.deepEqual(keys, [...keys].sort(), `pg${m} parameters sorted`);
      for (const k of keys) assert.equal(k, foldParameterName(c.parameters[k]?.name ?? ''), `pg${m} key ${k}`);
      for (const [a, t] of Object.entries(c.aliases)) {
        assert.equal(a, foldParameterName(a));
        assert.ok(c.parameters[t], `pg${m} alias ${a} -> ${t}`);
      }
    }
  });
});

interface SettingRow {
  name: string;
  vartype: string;
  unit: string | null;
  enumvals: string[] | null;
  min_val: string | null;
  max_val: string | null;
  context: string;
  boot_val: string | null;
  short_desc: string | null;
  category: string;
}

const num = (v: string | null): number | null => (v === null || v === '' ? null : Number(v));

/** `postgres -D data -c name=value -C show`: validates like a configuration-file entry. */
async function accepts(
  cluster: Cluster,
  name: string,
  value: string,
  show = name,
): Promise<{ ok: boolean; out: string; err: string }> {
  const r = await runAsUser(
    path.join(binDir(cluster.major), 'postgres'),
    ['-D', cluster.dataDir, '-c', `${name}=${value}`, '-C', show],
    {
      timeoutMs: 20_000,
    },
  );
  return { ok: r.code === 0, out: r.stdout.trim(), err: r.stderr.trim() };
}

for (const major of MAJORS) {
  describe(`catalog pg${major} agrees with a live PostgreSQL ${major}`, function () {
    this.timeout(60_000);
    let cluster: Cluster | undefined;
    let catalog: Catalog;

    before(async function () {
      requireServer(major, this);
      catalog = getCatalog(major);
      cluster = await createCluster(major);
      await cluster.start();
    });
    after(async () => {
      await cluster?.destroy();
    });

    it('has the same parameters as pg_settings, field by field', async () => {
      const c = cluster as Cluster;
      const [{ server_version: version }] = await c.query<{ server_version: string }>('SHOW server_version');
      assert.equal(
        catalog.serverVersion,
        version,
        'catalog generated from another minor release: run `npm run catalog`',
      );

      const rows = await c.query<SettingRow>(
        'SELECT name, vartype, unit, enumvals, min_val, max_val, context, boot_val, short_desc, category FROM pg_settings',
      );
      const listed = new Set(rows.map((r) => r.name.toLowerCase()));
      for (const r of rows) {
        const p = catalog.parameters[r.name.toLowerCase()];
        assert.ok(p, `${r.name} is in pg_settings but not in the catalog`);
        const actual = {
          name: p.name,
          type: p.type,
          unit: p.unit,
          min: p.min,
          max: p.max,
          enumValues: p.enumValues,
          context: p.context,
          default: p.default,
          description: p.description,
          category: p.category,
        };
        const expected = {
          name: r.name,
          type: r.vartype,
          unit: r.unit,
          min: num(r.min_val),
          max: num(r.max_val),
          enumValues: r.enumvals,
          context: r.context,
          default: r.boot_val,
          description: r.short_desc ?? '',
          category: r.category,
        };
        assert.deepEqual(actual, expected, r.name);
      }

      // Catalog entries pg_settings does not list must be GUC_NO_SHOW_ALL parameters the server
      // knows (current_setting finds them) -- not leftovers of another version.
      const unlisted = Object.keys(catalog.parameters).filter((k) => !listed.has(k));
      assert.ok(unlisted.length <= 6, `unexpected unlisted parameters: ${unlisted.join(', ')}`);
      const known = await c.query<{ n: string }>(
        'SELECT n FROM unnest($1::text[]) AS n WHERE current_setting(n, true) IS NOT NULL',
        [unlisted],
      );
      assert.deepEqual(known.map((k) => k.n).sort(), [...unlisted].sort());

      // An alias shows exactly its target's value, and is not a parameter of its own.
      for (const [alias, target] of Object.entries(catalog.aliases)) {
        assert.ok(!listed.has(alias), `${alias} is a real parameter in ${major}`);
        const [v] = await c.query<{ a: string | null; t: string }>(
          'SELECT current_setting($1, true) AS a, current_setting($2) AS t',
          [alias, target],
        );
        assert.equal(v?.a, v?.t, `${alias} -> ${target}`);
      }
    });

    it('the server (postgres -C, as at startup) still accepts hidden values and aliases', async () => {
      const c = cluster as Cluster;
      await c.stop();
      const probes: [string, string][] = [
        ['wal_level', 'hot_standby'],
        ['wal_level', 'archive'],
        ['archive_mode', 'yes'],
        ['archive_mode', '0'],
        ['synchronous_commit', 'true'],
      ];
      for (const [name, value] of probes) {
        assert.ok(catalog.parameters[name]?.hiddenEnumValues.includes(value), `catalog lacks ${name}=${value}`);
        const r = await accepts(c, name, value);
        assert.ok(r.ok, `${name}=${value} rejected: ${r.err}`);
      }
      // Case-insensitive enum matching (hidden spellings too).
      assert.ok((await accepts(c, 'wal_level', 'Hot_Standby')).ok);
      // Negative control: the probe does reject.
      assert.ok(!(await accepts(c, 'wal_level', 'hot-standby')).ok);

      // Aliases: the value lands in the target.
      for (const [alias, target] of Object.entries(catalog.aliases)) {
        const value = target === 'ssl_groups' ? 'secp384r1' : '1234';
        const [viaAlias, direct] = await Promise.all([accepts(c, alias, value, target), accepts(c, target, value)]);
        assert.ok(viaAlias.ok, `${alias} rejected: ${viaAlias.err}`);
        assert.equal(viaAlias.out, direct.out, `${alias} -> ${target}`);
      }

      // Build-dependent values are rejected by this build (that is why they are listed).
      for (const p of Object.values(catalog.parameters)) {
        for (const v of p.buildDependentValues) {
          const r = await accepts(c, p.name, v);
          assert.ok(!r.ok, `${p.name}=${v} is accepted by this build but listed as build-dependent`);
        }
      }
    });
  });
}

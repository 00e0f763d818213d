// Which tool wrote an archive, from the shape of its keys:
//   flat       cp / rsync / aws s3 cp:   <segment>[.ext] anywhere (usually the root)
//   pgbackrest archive/<stanza>/<major>-<n>/<first 16 hex>/<segment>-<sha1>[.gz|.lz4|.zst|.bz2],
//              backups under backup/<stanza>/
//   wal-g      [prefix/]wal_005/<segment>[.ext], backups under [prefix/]basebackups_005/
//   barman     [prefix/]wals/<first 16 hex>/<segment>[.ext], backups under base/<id>/backup.info

export type Layout = 'flat' | 'pgbackrest' | 'wal-g' | 'barman';

const PGBACKREST = /^(?:.*\/)?archive\/[^/]+\/\d+-\d+\/[0-9A-F]{16}\/[0-9A-F]{24}-[0-9a-f]{40}/;
const WALG = /^(?:.*\/)?wal_005\/[0-9A-F]{24}/;
const BARMAN = /^(?:.*\/)?wals\/[0-9A-F]{16}\/[0-9A-F]{24}/;

/** Votes per layout as keys stream by; the layout with WAL files wins. */
export class LayoutDetector {
  private readonly votes: Record<Layout, number> = { flat: 0, pgbackrest: 0, 'wal-g': 0, barman: 0 };
  private seen = 0;

  see(key: string): void {
    // the first 10,000 keys decide; after that one in 100 is enough to notice a mixed archive
    if (++this.seen > 10000 && this.seen % 100 !== 0) return;
    if (PGBACKREST.test(key)) this.votes.pgbackrest++;
    else if (WALG.test(key)) this.votes['wal-g']++;
    else if (BARMAN.test(key)) this.votes.barman++;
    else if (/(?:^|\/)[0-9A-F]{24}(?:\.[a-z0-9]+)?$/.test(key)) this.votes.flat++;
  }

  get layout(): Layout {
    let best: Layout = 'flat';
    for (const l of ['pgbackrest', 'wal-g', 'barman'] as const) if (this.votes[l] > this.votes[best]) best = l;
    return best;
  }
}

/** Is this key a WAL-side file of the layout (segment, history, backup history, partial)? */
export function isWalKey(layout: Layout, key: string): boolean {
  switch (layout) {
    case 'pgbackrest':
      return /(?:^|\/)archive\//.test(key);
    case 'wal-g':
      return /(?:^|\/)wal_005\//.test(key);
    case 'barman':
      return /(?:^|\/)wals\//.test(key);
    case 'flat':
      return true;
  }
}

/** Backup metadata files a layout keeps, parsed by backupCatalog.ts. */
export function backupMetadataKind(
  layout: Layout,
  key: string,
): 'pgbackrest-info' | 'walg-sentinel' | 'barman-info' | null {
  if (layout === 'pgbackrest' && /(?:^|\/)backup\/[^/]+\/backup\.info$/.test(key)) return 'pgbackrest-info';
  if (layout === 'wal-g' && /(?:^|\/)basebackups_005\/[^/]+_backup_stop_sentinel\.json$/.test(key))
    return 'walg-sentinel';
  if (layout === 'barman' && /(?:^|\/)base\/[^/]+\/backup\.info$/.test(key)) return 'barman-info';
  return null;
}

/** Files a tool keeps beside the WAL that are not WAL (not "unexpected" in that layout). */
export function isToolFile(layout: Layout, key: string): boolean {
  switch (layout) {
    case 'pgbackrest':
      return /(?:^|\/)archive\/[^/]+\/archive\.info(\.copy)?$/.test(key) || /(?:^|\/)backup\//.test(key);
    case 'wal-g':
      return /(?:^|\/)basebackups_005\//.test(key);
    case 'barman':
      return /(?:^|\/)wals\/xlog\.db$/.test(key) || /(?:^|\/)(base|errors|incoming|streaming|meta)\//.test(key);
    case 'flat':
      return false;
  }
}

import type { Rule } from '../types';

export const archiveLibraryUnconfigured: Rule = {
  id: 'archive-library-unconfigured',
  severity: 'warning',
  majors: [15, 18],
  summary: "archive_library = 'basic_archive' without basic_archive.archive_directory",
  docPage: 'basic-archive.html',
  check(ctx) {
    const lib = ctx.effective('archive_library');
    if (!lib || lib.value !== 'basic_archive') return [];
    const dir = ctx.effective('basic_archive.archive_directory');
    if (dir && dir.value !== '') return [];
    return [
      ctx.finding(
        this,
        lib.item,
        "archive_library = 'basic_archive' but basic_archive.archive_directory is not set: the module " +
          'archives nothing and WAL accumulates in pg_wal. Set basic_archive.archive_directory to the archive folder.',
        {
          range: ctx.valueRange(lib.item),
        },
      ),
    ];
  },
};

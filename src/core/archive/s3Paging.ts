// Paging one part of an S3 listing (a range of keys, see s3KeySpace.ts): ListObjectsV2 pages
// followed by their continuation tokens, each key delivered once; after a truncated page the
// caller may split the rest of the part instead of paging on. An endpoint that repeats a token,
// says "truncated" without one, or lists keys out of order ends the part with an S3SourceError:
// paging must end, whatever the server answers.
import { S3SourceError } from './s3Errors';
import { compareKeys, type Part } from './s3KeySpace';

/** One ListObjectsV2 answer, as much of it as paging needs. */
export interface Page {
  contents: Array<{ Key?: string; Size?: number; LastModified?: Date }>;
  truncated: boolean;
  next?: string;
}

export interface PagingSteps {
  /** fetches one page of `part`: from its start (no token) or from `token` */
  fetchPage(part: Part, token: string | undefined): Promise<Page>;
  /** receives every key of the part that belongs to it (not a folder marker, not another part's) */
  onKey(key: string, size: number, mtimeMs: number | undefined): void;
  /** after a truncated page: the parts that replace the rest of this one, or undefined to page on */
  splitRest?(part: Part, first: string, last: string, pageKeys: number): Part[] | undefined;
  /** true when the listing was stopped */
  stopped(): boolean;
  /** the endpoint for messages ("S3", or its URL) */
  endpointLabel: string;
  /** what is being listed, for messages ("while listing s3://bucket/prefix") */
  what: string;
}

/** Pages through `part`; returns the parts that replace its rest (none when it was listed to its end). */
export async function pagePart(part: Part, steps: PagingSteps): Promise<Part[]> {
  const fault = (what: string) =>
    new S3SourceError(
      `${steps.endpointLabel} ${what} ${steps.what}: the listing cannot go on (a fault of the S3-compatible server)`,
    );
  let token: string | undefined;
  const tokens = new Set<string>();
  let previous: string | undefined;
  for (;;) {
    const page = await steps.fetchPage(part, token);
    let first: string | undefined;
    let last: string | undefined;
    let reachedEnd = false;
    for (const o of page.contents) {
      const key = o.Key ?? '';
      // S3 lists in ascending key order, each key once: anything else would page forever
      if (previous !== undefined && compareKeys(key, previous) <= 0)
        throw new S3SourceError(
          `${steps.endpointLabel} listed keys out of order (${key} after ${previous}) ${steps.what}: ` +
            `the listing cannot go on (a fault of the S3-compatible server)`,
        );
      previous = key;
      if (part.before !== undefined && compareKeys(key, part.before) >= 0) {
        reachedEnd = true;
        break;
      }
      first ??= key;
      last = key;
      if (key.endsWith('/') || part.skip.some((s) => key.startsWith(s))) continue; // folder markers; keys of other parts
      steps.onKey(key, o.Size ?? 0, o.LastModified?.getTime());
    }
    if (reachedEnd || !page.truncated || steps.stopped()) return [];
    if (steps.splitRest && part.before === undefined && first !== undefined && last !== undefined) {
      const parts = steps.splitRest(part, first, last, page.contents.length);
      if (parts) return parts;
    }
    if (page.next === undefined || page.next === '')
      throw fault('answered a truncated listing without a continuation token');
    if (tokens.has(page.next)) throw fault('repeated a continuation token');
    tokens.add(page.next);
    token = page.next;
  }
}

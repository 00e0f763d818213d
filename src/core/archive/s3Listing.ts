// The worker pool of an S3 listing: parts of the key space (s3KeySpace.ts) are paged by up to
// `parallelism` workers at once; a part may hand back new parts, which join the queue. The first
// failure stops the others.
import type { Part } from './s3KeySpace';

/**
 * Runs `work` on `initial` and on every part it hands back, at most `parallelism` at a time.
 * Resolves with the first failure (undefined when every part was listed); `onFailure` is called
 * at once, so that the caller can stop the parts still running.
 */
export function runParts(
  initial: Part[],
  parallelism: number,
  work: (part: Part) => Promise<Part[]>,
  onFailure: () => void,
): Promise<unknown> {
  const queue: Part[] = [...initial];
  let active = 0;
  let failure: unknown;
  return new Promise<unknown>((resolve) => {
    const pump = (): void => {
      while (failure === undefined && active < parallelism && queue.length > 0) {
        const part = queue.shift() as Part;
        active++;
        work(part).then(
          (more) => {
            active--;
            queue.push(...more);
            pump();
          },
          (e: unknown) => {
            failure ??= e;
            onFailure();
            active--;
            pump();
          },
        );
      }
      if (active === 0) resolve(failure);
    };
    pump();
  });
}

// The messages between the editor and its lint worker (lintWorker.ts): plain data only, since they
// are copied between threads.
import type { Finding } from '../../core/lint/types';

export interface LintRequest {
  id: number;
  configFile: string;
  dataDir: string | null;
  major: number;
  /** unsaved documents, by path: the worker reads these instead of the disk */
  overlay: Array<[string, Uint8Array]>;
  /** the most findings to send back (the rest are summed up in one) */
  maxFindings: number;
}

export type LintResponse = { id: number; findings: Finding[] } | { id: number; error: string };

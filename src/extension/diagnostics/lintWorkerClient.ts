// Runs lints in a worker thread (dist/lintWorker.js), one at a time, each with a time limit: a
// lint that takes longer is stopped (the worker is terminated and started again for the next
// one), as is one that runs out of its memory. Free of vscode, so tests can drive it directly.
import { Worker } from 'node:worker_threads';

import type { LintRequest, LintResponse } from './lintProtocol';

export interface LintWorkerOptions {
  /** the worker's script (the bundle's dist/lintWorker.js) */
  script: string;
  /** the time limit of a lint (unless lint() is given another) */
  timeoutMs: number;
  /** the worker's heap limit */
  maxHeapMb: number;
}

/** Why a lint did not finish, in words for the user. */
export class LintFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LintFailure';
  }
}

interface Pending {
  req: LintRequest;
  timeoutMs: number;
  resolve: (r: LintResponse) => void;
  reject: (e: Error) => void;
}

export class LintWorkerClient {
  private worker: Worker | null = null;
  private readonly queue: Pending[] = [];
  private running: { job: Pending; timer: NodeJS.Timeout } | null = null;
  private nextId = 1;
  private disposed = false;

  constructor(private readonly opts: LintWorkerOptions) {}

  /** Lints on the worker; rejects with a LintFailure when it takes too long or the worker dies. */
  lint(req: Omit<LintRequest, 'id'>, timeoutMs = this.opts.timeoutMs): Promise<LintResponse> {
    if (this.disposed) return Promise.reject(new LintFailure('the lint worker is stopped'));
    return new Promise((resolve, reject) => {
      this.queue.push({ req: { ...req, id: this.nextId++ }, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  /** Drops queued (not yet started) lints of a file: a newer version of it is coming. */
  dropQueued(configFile: string): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].req.configFile !== configFile) continue;
      const [job] = this.queue.splice(i, 1);
      job.reject(new LintFailure('superseded'));
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const job of this.queue.splice(0)) job.reject(new LintFailure('the lint worker is stopped'));
    this.stopRunning(new LintFailure('the lint worker is stopped'));
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    const worker = this.ensureWorker();
    const timer = setTimeout(
      () => this.stopRunning(new LintFailure(`it took longer than ${job.timeoutMs / 1000} s, so pg-pitr stopped it`)),
      job.timeoutMs,
    );
    this.running = { job, timer };
    const transfer = job.req.overlay.map(([, bytes]) => bytes.buffer as ArrayBuffer);
    try {
      worker.postMessage(job.req, transfer);
    } catch {
      // buffers that cannot be moved (shared ones) are copied instead
      worker.postMessage(job.req);
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.opts.script, { resourceLimits: { maxOldGenerationSizeMb: this.opts.maxHeapMb } });
    w.unref();
    w.on('message', (res: LintResponse) => {
      if (!this.running || this.running.job.req.id !== res.id) return;
      const { job, timer } = this.running;
      clearTimeout(timer);
      this.running = null;
      job.resolve(res);
      this.pump();
    });
    w.on('error', (e: Error & { code?: string }) => {
      if (this.worker !== w) return;
      this.worker = null;
      const why =
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `it needed more than ${this.opts.maxHeapMb} MB of memory, so pg-pitr stopped it`
          : `the lint worker failed: ${e.message}`;
      this.stopRunning(new LintFailure(why));
    });
    w.on('exit', () => {
      if (this.worker !== w) return;
      this.worker = null;
      this.stopRunning(new LintFailure('the lint worker exited'));
    });
    this.worker = w;
    return w;
  }

  /** Fails the running lint (if any), terminates its worker, and goes on with the queue. */
  private stopRunning(why: LintFailure): void {
    const w = this.worker;
    this.worker = null;
    if (w) void w.terminate();
    if (this.running) {
      clearTimeout(this.running.timer);
      const { job } = this.running;
      this.running = null;
      job.reject(why);
    }
    if (!this.disposed) this.pump();
  }
}

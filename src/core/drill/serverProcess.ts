// The scratch server as a child process: `postgres -D <copy>` run directly (not through pg_ctl), as
// the run user, in its own process group, its output appended to scratch/server.log. Owning the
// process lets the drill see at once when it exits and stop it for sure: a fast shutdown first,
// then an immediate one, then SIGKILL to the whole group.
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';

import { childEnv, type RunUser, spawnOptionsFor } from './runAsUser';

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ScratchServer {
  private child: ChildProcess | null = null;
  private exitInfo: ServerExit | null = null;
  private exited: Promise<ServerExit> = Promise.resolve({ code: null, signal: null });

  constructor(
    readonly postgres: string,
    readonly dataDir: string,
    readonly logFile: string,
    readonly user: RunUser,
  ) {}

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** null while it runs */
  get exit(): ServerExit | null {
    return this.exitInfo;
  }

  start(): void {
    const fd = fs.openSync(this.logFile, 'a');
    try {
      const child = spawn(
        this.postgres,
        ['-D', this.dataDir],
        spawnOptionsFor(this.user, {
          stdio: ['ignore', fd, fd],
          detached: true,
          cwd: this.dataDir,
          env: childEnv(this.user),
        }),
      );
      this.child = child;
      this.exited = new Promise((resolve) => {
        child.on('error', (e) => {
          fs.appendFileSync(this.logFile, `FATAL:  pg-pitr could not start ${this.postgres}: ${e.message}\n`);
          this.exitInfo = { code: null, signal: null };
          resolve(this.exitInfo);
        });
        child.on('exit', (code, signal) => {
          this.exitInfo = { code, signal };
          resolve(this.exitInfo);
        });
      });
    } finally {
      fs.closeSync(fd);
    }
  }

  private signalGroup(sig: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined || this.exitInfo !== null) return;
    try {
      process.kill(sig === 'SIGKILL' ? -pid : pid, sig);
    } catch {
      /* already gone */
    }
  }

  private async waitExit(ms: number): Promise<boolean> {
    if (this.exitInfo !== null) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms))),
    ]);
    clearTimeout(timer);
    return done;
  }

  /** Stops the server: fast shutdown (SIGINT) unless `immediate`, then SIGQUIT, then SIGKILL to its process group. */
  async stop(immediate = false, fastMs = 30_000): Promise<void> {
    if (this.child === null || this.exitInfo !== null) return;
    if (!immediate) {
      this.signalGroup('SIGINT');
      if (await this.waitExit(fastMs)) return this.reapGroup();
    }
    this.signalGroup('SIGQUIT');
    if (await this.waitExit(10_000)) return this.reapGroup();
    this.signalGroup('SIGKILL');
    await this.waitExit(5_000);
    this.reapGroup();
  }

  /** Children of a postmaster that died abnormally (a restore_command's shell) can outlive it: end the group. */
  private reapGroup(): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* no process left in the group */
    }
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { Logger } from '@nestjs/common';
import { EXIT_CONFIG } from '../../core/exit-codes.js';
import { backoffDelay } from '../../core/async/exponential-backoff.js';

export interface SupervisorOptions {
  /** How many workers to keep running. */
  readonly workers: number;
  /** The Node script and arguments of one worker (`protean server …` without `--workers`). */
  readonly command: readonly string[];
  /** Worker i serves its probes on `healthPort + i` (0: none). */
  readonly healthPort: number;
  /** Seconds a worker gets to stop after SIGTERM before it is killed. */
  readonly graceSeconds: number;
}

const MAX_RESTART_DELAY_MS = 30_000;
/** A worker that ran this long is considered healthy again: its restart delay starts over. */
const STABLE_AFTER_MS = 60_000;

/**
 * `protean server --workers N`: keeps N worker processes running, restarting one that exits
 * unexpectedly after a growing delay (1 s, 2 s, … 30 s) — but a worker that refused its
 * configuration (exit 78) stops them all with that code — and on SIGTERM / SIGINT stops them all
 * gracefully and exits 0 once they have. Workers of one host share the load through their
 * consumer groups, exactly as workers on several hosts do.
 */
export class WorkerSupervisor {
  private readonly logger = new Logger('Supervisor');
  private readonly children = new Map<number, ChildProcess>();
  private readonly failures = new Map<number, number>();
  private stopping = false;
  private finish: (code: number) => void = () => undefined;

  constructor(private readonly options: SupervisorOptions) {}

  /**
   * Starts the workers; resolves to the exit code once they have all stopped: 0 after a signal,
   * 78 when a worker refused its configuration (no restart can fix that; it printed why).
   */
  run(): Promise<number> {
    return new Promise((done) => {
      this.finish = (code) => {
        if (this.stopping) return;
        this.stopping = true;
        void this.stopAll().then(() => done(code));
      };
      for (let slot = 0; slot < this.options.workers; slot++) this.spawn(slot);
      const stop = (signal: NodeJS.Signals) => {
        if (this.stopping) return;
        this.logger.log(`${signal} received: stopping ${this.children.size} worker(s)`);
        this.finish(0);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
  }

  private spawn(slot: number): void {
    const { command, healthPort } = this.options;
    const env = {
      ...process.env,
      PROTEAN_SERVER__HEALTH__PORT: String(healthPort ? healthPort + slot : 0),
    };
    const child = spawn(process.execPath, [...command], { env, stdio: 'inherit' });
    const startedAt = Date.now();
    this.children.set(slot, child);
    this.logger.log(`Worker ${slot + 1}/${this.options.workers} started (pid ${child.pid})`);
    child.once('exit', (code, signal) => {
      this.children.delete(slot);
      if (this.stopping) return;
      if (code === EXIT_CONFIG) {
        this.logger.error(`Worker ${slot + 1} (pid ${child.pid}) refused its configuration`);
        this.finish(EXIT_CONFIG);
        return;
      }
      const failures =
        Date.now() - startedAt > STABLE_AFTER_MS ? 1 : (this.failures.get(slot) ?? 0) + 1;
      this.failures.set(slot, failures);
      const delay = backoffDelay(
        { baseMs: 1000, maxMs: MAX_RESTART_DELAY_MS, jitter: 0 },
        failures,
      );
      this.logger.warn(
        `Worker ${slot + 1} (pid ${child.pid}) exited with ${signal ?? `code ${code}`}; restarting in ${delay} ms`,
      );
      setTimeout(() => {
        if (!this.stopping) this.spawn(slot);
      }, delay);
    });
  }

  private async stopAll(): Promise<void> {
    const children = [...this.children.values()];
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const timer = setTimeout(
              () => child.kill('SIGKILL'),
              (this.options.graceSeconds + 10) * 1000,
            );
            child.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    this.logger.log('All workers stopped');
  }
}

// The main thread's side of `verifyInWorkers`: hands each token to the least busy worker thread,
// passes every fetched JWKS on to all of them, and answers 503 for any token a worker cannot
// answer in time: one left waiting longer than the timeout behind others (the worker goes on),
// or one in the hands of a worker that stopped, or that answered nothing for the timeout (the
// worker is replaced). A token is never decided here and never left unanswered.

import { Worker } from 'node:worker_threads';
import type { Logger, OffloadedVerdict, OffloadedVerifier, OffloadStats } from '../config/types';
import { type AuthError, VerifierUnavailableError } from '../errors/errors';
import {
  DECIDE_HERE,
  type FromWorker,
  REFUSED,
  refusalError,
  type ToWorker,
  VERIFIED,
  type WorkerSettings,
} from './verify-protocol';

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  readonly threads: number;
  readonly timeoutMs: number;
  readonly workerFile: string | URL;
  readonly settings: Omit<WorkerSettings, 'keys'>;
  readonly logger: Logger;
}

interface Pending {
  readonly resolve: (verdict: OffloadedVerdict) => void;
  readonly reject: (error: AuthError) => void;
  readonly sentAt: number;
}

interface Thread {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  readonly started: Promise<void>;
  /** When it last answered, or started. */
  answeredAt: number;
  alive: boolean;
  ready: boolean;
}

// A worker that fails before it is ready (a broken install, say) is replaced after this long,
// not at once, so that a fault in every start does not become a loop of starts.
const RESTART_DELAY_MS = 1000;

/**
 * A fixed set of worker threads verifying tokens, kept at its size while it is open.
 *
 * @example
 * ```ts
 * const pool = new WorkerPool({ threads: 3, timeoutMs: 1000, workerFile, settings, logger: console });
 * const verdict = await pool.verify(token); // { payload, algorithm }, or undefined: decide here
 * ```
 */
export class WorkerPool implements OffloadedVerifier {
  private readonly threads: (Thread | undefined)[];
  private readonly keys = new Map<string, string>();
  private readonly watchdog: ReturnType<typeof setInterval>;
  private nextId = 0;
  private closed = false;
  private counts = { inWorkers: 0, handedBack: 0, unanswered: 0 };

  constructor(private readonly options: WorkerPoolOptions) {
    this.threads = Array.from({ length: options.threads }, () => this.spawn());
    this.watchdog = setInterval(() => this.enforceTimeout(), Math.max(options.timeoutMs / 4, 5));
    this.watchdog.unref();
  }

  /** Resolves once every worker has started; rejects with a 503 if one could not. */
  async ready(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread?.started));
  }

  /**
   * Verifies a token in the least busy worker: resolves to its payload, or to `undefined` when
   * the main thread must decide (a key the workers lack); rejects with the worker's 401, or
   * with a 503 when no worker answered.
   */
  verify(token: string): Promise<OffloadedVerdict> {
    const thread = this.leastBusy();
    if (thread === undefined) {
      // Workers still starting (the first ones, or one replacing a failed worker) hold no token:
      // the main thread decides it, rather than have it wait on a start that may outlast
      // timeoutMs under load and be answered 503.
      if (this.threads.some((starting) => starting?.alive)) {
        this.counts.handedBack++;
        return Promise.resolve(undefined);
      }
      this.counts.unanswered++;
      return Promise.reject(this.unavailable('no worker is running'));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      thread.pending.set(id, { resolve, reject, sentAt: performance.now() });
      if (thread.pending.size === 1) thread.worker.ref();
      const deadline = Date.now() + this.options.timeoutMs;
      thread.worker.postMessage([id, token, deadline] satisfies ToWorker);
    });
  }

  /** Passes keys the main thread fetched on to every worker, and to any started later. */
  keysFetched(uri: string, jwks: string): void {
    this.keys.set(uri, jwks);
    for (const thread of this.threads) {
      if (thread?.alive) thread.worker.postMessage({ uri, jwks } satisfies ToWorker);
    }
  }

  /** What the workers did so far. */
  get stats(): OffloadStats {
    return { ...this.counts };
  }

  /** Stops every worker; tokens in their hands, and any verified afterwards, get 503. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    const stopping = this.threads.map((thread, index) => {
      if (thread === undefined) return undefined;
      this.fail(index, thread, 'was closed');
      return thread.worker.terminate();
    });
    await Promise.all(stopping);
  }

  private spawn(): Thread {
    const { workerFile, settings } = this.options;
    const worker = new Worker(workerFile, { workerData: { ...settings, keys: [...this.keys] } });
    let started!: () => void;
    let failed!: (error: AuthError) => void;
    const thread: Thread = {
      worker,
      pending: new Map(),
      started: new Promise<void>((resolve, reject) => {
        started = resolve;
        failed = reject;
      }),
      answeredAt: performance.now(),
      alive: true,
      ready: false,
    };
    // ready() may never be asked; a start that failed is reported through the logger then.
    thread.started.catch(() => {});
    worker.on('message', (message: FromWorker) => {
      thread.answeredAt = performance.now();
      if (message === 'ready') {
        thread.ready = true;
        this.releaseIfIdle(thread);
        started();
        return;
      }
      const pending = thread.pending.get(message[0]);
      if (pending === undefined) return;
      thread.pending.delete(message[0]);
      this.releaseIfIdle(thread);
      switch (message[1]) {
        case VERIFIED:
          this.counts.inWorkers++;
          return pending.resolve({ payload: message[2], algorithm: message[3] });
        case REFUSED:
          this.counts.inWorkers++;
          return pending.reject(refusalError(message[2], settings.realm));
        case DECIDE_HERE:
          this.counts.handedBack++;
          return pending.resolve(undefined);
        default:
          return this.late(pending, thread);
      }
    });
    const stopped = (why: string) => {
      failed(this.unavailable(`a verifying worker ${why} before it was ready`));
      this.fail(this.threads.indexOf(thread), thread, why);
    };
    worker.on('error', (error) => stopped(`stopped with ${error.name}: ${error.message}`));
    worker.on('exit', (code) => stopped(`exited with code ${code}`));
    return thread;
  }

  // Answers 503 for every token in a failed worker's hands and puts a new worker in its place.
  private fail(index: number, thread: Thread, why: string): void {
    if (!thread.alive) return;
    thread.alive = false;
    const error = this.unavailable(`a verifying worker ${why}`);
    for (const pending of thread.pending.values()) pending.reject(error);
    this.counts.unanswered += thread.pending.size;
    if (this.closed) return;
    this.options.logger.warn(
      `cognito-guard: a verifying worker ${why}; ${thread.pending.size} tokens in its hands were answered 503, and a new worker takes its place`,
    );
    thread.pending.clear();
    if (thread.ready) this.threads[index] = this.spawn();
    else {
      this.threads[index] = undefined;
      setTimeout(() => {
        if (!this.closed) this.threads[index] = this.spawn();
      }, RESTART_DELAY_MS).unref();
    }
  }

  private enforceTimeout(): void {
    const { timeoutMs } = this.options;
    const now = performance.now();
    this.threads.forEach((thread, index) => {
      const oldest = thread?.pending.values().next().value;
      if (thread === undefined || oldest === undefined) return;
      // Busy since its last answer, or since the oldest token came if it was idle before.
      if (now - Math.max(thread.answeredAt, oldest.sentAt) > timeoutMs) {
        this.fail(index, thread, `answered nothing in ${timeoutMs} ms`);
        void thread.worker.terminate();
        return;
      }
      // Tokens are answered in the order sent: the oldest waiting come first.
      for (const [id, pending] of thread.pending) {
        if (now - pending.sentAt <= timeoutMs) break;
        thread.pending.delete(id);
        this.late(pending, thread);
      }
      this.releaseIfIdle(thread);
    });
  }

  // A worker holds the process open only while it starts or holds tokens: a server awaiting
  // ready() or an answer must not exit (a top-level await would end with code 13), and one whose
  // server has closed must. `ref()` is a flag, not a count.
  private releaseIfIdle(thread: Thread): void {
    if (thread.ready && thread.pending.size === 0) thread.worker.unref();
  }

  private late(pending: Pending, thread: Thread): void {
    this.counts.unanswered++;
    const waiting = thread.pending.size;
    const detail = `no answer in ${this.options.timeoutMs} ms: ${waiting} more waiting`;
    pending.reject(this.unavailable(detail));
  }

  private leastBusy(): Thread | undefined {
    let best: Thread | undefined;
    for (const thread of this.threads) {
      if (
        thread?.alive &&
        thread.ready &&
        (best === undefined || thread.pending.size < best.pending.size)
      ) {
        best = thread;
      }
    }
    return best;
  }

  private unavailable(detail: string): VerifierUnavailableError {
    return new VerifierUnavailableError({ realm: this.options.settings.realm, detail });
  }
}

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DatasetFormatError, ErrorCodes, ModelFormatError } from '@temper/edge';
import type { ParseResult, ParseTask } from './parse-tasks.ts';
import type { SerializedError } from './remote-error.ts';
import { reviveError } from './revive-error.ts';

/**
 * Upload checks (model building, dataset parsing, gzip inflation) on worker threads, so that no
 * upload can stall the API's event loop: each task runs under a time budget (the thread is
 * terminated when it runs over, which also ends a loop inside tfjs that never yields) and a heap
 * cap (V8's resourceLimits); either answers with a typed error naming the limit and its variable.
 */
export interface ParsePoolOptions {
  /** TEMPER_PARSE_THREADS: checks that run at once; more wait their turn. */
  readonly threads: number;
  /** TEMPER_PARSE_TIMEOUT_S: the longest one check may run. */
  readonly timeoutMs: number;
  /** TEMPER_PARSE_MEMORY_MB: the heap of one thread. */
  readonly memoryMb: number;
}

// Threads run the TypeScript sources through tsx's ESM API (tsx's --import hook does not reach a
// worker thread's entry module on Node 20); the entry is a data: URL, so no .js file is needed.
const TSX_API = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
const WORKER = new URL('./parse-worker.ts', import.meta.url).href;
const ENTRY = new URL(`data:text/javascript,${encodeURIComponent(`const { tsImport } = await import(${JSON.stringify(TSX_API)}); await tsImport(${JSON.stringify(WORKER)}, import.meta.url);`)}`);

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

class Thread {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  /** Set while a task runs: how the thread's end (exit, out of memory) reaches that task. */
  onEnd: ((e: Error) => void) | null = null;
  onReply: ((r: Reply) => void) | null = null;
  ended = false;
  isReady = false;

  constructor(memoryMb: number) {
    this.worker = new Worker(ENTRY, { resourceLimits: { maxOldGenerationSizeMb: memoryMb }, stdout: false, stderr: false });
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (m: { ready?: true } & Reply) => (m.ready ? resolve() : this.onReply?.(m)));
      const end = (e: Error) => {
        this.ended = true;
        reject(e);
        this.onEnd?.(e);
      };
      this.worker.on('error', end);
      this.worker.on('exit', (code) => end(new Error(`Internal: the parse thread exited (${code})`)));
    });
    // A thread that failed to start is replaced at the next task; nobody else awaits this promise.
    this.ready.then(() => (this.isReady = true)).catch(() => {});
  }
}

export class ParsePool {
  private readonly idle: Thread[] = [];
  private size = 0;
  private readonly waiting: ((t: Thread) => void)[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly options: ParsePoolOptions) {}

  /** Starts every thread now, so that no upload waits for one to load; resolves once they have. */
  async warm(): Promise<void> {
    const started: Thread[] = [];
    while (this.size < this.options.threads && !this.closed) {
      const t = this.spawn();
      started.push(t);
      this.release(t);
    }
    await Promise.all(started.map((t) => t.ready.catch(() => {})));
  }

  async run<T extends ParseTask>(task: T): Promise<ParseResult<T>> {
    const thread = await this.acquire();
    let healthy = true;
    try {
      await thread.ready;
      return (await this.execute(thread, task)) as ParseResult<T>;
    } catch (e) {
      healthy = !thread.ended && !(e instanceof BudgetError);
      throw e instanceof BudgetError ? tooMuch(task, e) : e;
    } finally {
      if (healthy) this.release(thread);
      else this.discard(thread);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = this.idle.splice(0);
    await Promise.all(all.map((t) => t.worker.terminate()));
  }

  private execute(thread: Thread, task: ParseTask): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new BudgetError('time'));
      }, this.options.timeoutMs);
      const done = () => {
        clearTimeout(timer);
        thread.onReply = null;
        thread.onEnd = null;
      };
      thread.onReply = (r) => {
        if (r.id !== id) return;
        done();
        if (r.ok) resolve(r.value);
        else reject(reviveError(r.error));
      };
      thread.onEnd = (e) => {
        done();
        reject((e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? new BudgetError('memory') : e);
      };
      thread.worker.postMessage({ id, task });
    });
  }

  private spawn(): Thread {
    this.size++;
    return new Thread(this.options.memoryMb);
  }

  private acquire(): Promise<Thread> {
    if (this.closed) return Promise.reject(new Error('Internal: the parse pool is closed'));
    // A thread that has started first: a replacement may still be loading tfjs.
    const i = this.idle.findIndex((x) => x.isReady);
    const t = i >= 0 ? this.idle.splice(i, 1)[0] : this.idle.pop();
    if (t) return Promise.resolve(t);
    if (this.size < this.options.threads) return Promise.resolve(this.spawn());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(t: Thread): void {
    if (this.closed) {
      void t.worker.terminate();
      return;
    }
    const next = this.waiting.shift();
    if (next) next(t);
    else this.idle.push(t);
  }

  /** A thread that ran over its budget or died is terminated and replaced by a fresh one. */
  private discard(t: Thread): void {
    void t.worker.terminate();
    this.size--;
    const next = this.waiting.shift();
    // The replacement starts now, so the next upload does not pay for its start.
    if (next) next(this.spawn());
    else if (!this.closed) this.idle.push(this.spawn());
  }
}

class BudgetError extends Error {
  constructor(readonly limit: 'time' | 'memory') {
    super(limit);
  }
}

function tooMuch(task: ParseTask, e: BudgetError): Error {
  const what = e.limit === 'time' ? 'took longer than the time limit (TEMPER_PARSE_TIMEOUT_S)' : 'needed more memory than the limit (TEMPER_PARSE_MEMORY_MB)';
  const details = { limit: e.limit === 'time' ? 'TEMPER_PARSE_TIMEOUT_S' : 'TEMPER_PARSE_MEMORY_MB' };
  if (task.kind === 'model') return new ModelFormatError(ErrorCodes.MODEL_TOO_COMPLEX, `Checking the model ${what}; nothing was stored.`, details);
  return new DatasetFormatError(ErrorCodes.DATASET_TOO_LARGE, `Parsing the dataset ${what}; nothing was stored.`, details);
}

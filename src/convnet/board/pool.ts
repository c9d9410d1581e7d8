import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BackendProgress, InferenceResult, InferenceRun, LayerTrainingResult, LayerTrainingRun, SpikingBackend } from '../backend.js';
import { BoardBackendError, type BoardBackendOptions, type BoardCallTimes } from '../board-backend.js';
import { NetworkError } from '../../network/index.js';
import { RunError } from '../../run/index.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

/**
 * Several BoardBackends in worker threads, each with a board of its own (for
 * "emulator": an embedded emulated board per thread), so that independent
 * calls — inference batches — run at the same time on a multi-core host.
 * `concurrency` tells callers how many calls to keep in flight.
 */
export class BoardPool implements SpikingBackend {
  readonly name: string;
  readonly concurrency: number;
  lastTimes: BoardCallTimes | undefined;
  /** Called with the figures of every finished call (calls overlap, so lastTimes alone cannot tell them apart). */
  onCallTimes: ((t: BoardCallTimes) => void) | undefined;
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<(w: Worker) => void> = [];
  private nextId = 1;

  constructor(private readonly opts: BoardBackendOptions & { workers: number }) {
    this.concurrency = Math.max(1, Math.floor(opts.workers));
    this.name = `board pool (${this.concurrency} × ${opts.board ?? 'config'})`;
  }

  private spawn(): Worker {
    // The worker is TypeScript: register tsx's loader in the thread first, then import it.
    const require = createRequire(import.meta.url);
    const api = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs')).href;
    const entry = new URL('./worker.ts', import.meta.url).href;
    const code = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry)});`;
    const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`));
    w.unref();
    this.workers.push(w);
    return w;
  }

  private acquire(): Promise<Worker> {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    if (this.workers.length < this.concurrency) return Promise.resolve(this.spawn());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(w: Worker): void {
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  private async call<T>(kind: 'infer' | 'train', run: InferenceRun | LayerTrainingRun, progress?: BackendProgress): Promise<T> {
    const w = await this.acquire();
    const id = this.nextId++;
    const { workers: _w, ...opts } = this.opts;
    try {
      return await new Promise<T>((resolve, reject) => {
        const onMessage = (m: WorkerReply) => {
          if (m.id !== id) return;
          if (m.kind === 'progress') return progress?.(m.done, m.total);
          w.off('message', onMessage);
          w.off('error', onError);
          if (m.kind === 'done') {
            this.lastTimes = m.times as BoardCallTimes;
            this.onCallTimes?.(this.lastTimes);
            resolve(m.result as T);
          } else {
            const known: Record<string, new (msg: string) => Error> = { BoardBackendError, RunError, NetworkError, ScpError: BoardBackendError };
            const Cls = known[m.name];
            const e = Cls ? new Cls(m.message) : Object.assign(new Error(m.message), { name: m.name, stack: m.stack });
            reject(e);
          }
        };
        const onError = (e: Error) => {
          w.off('message', onMessage);
          reject(e);
        };
        w.on('message', onMessage);
        w.on('error', onError);
        w.ref();
        w.postMessage({ id, kind, opts, run } as WorkerRequest);
      });
    } finally {
      w.unref();
      this.release(w);
    }
  }

  trainLayer(run: LayerTrainingRun, progress?: BackendProgress): Promise<LayerTrainingResult> {
    return this.call('train', run, progress);
  }

  runInference(run: InferenceRun, progress?: BackendProgress): Promise<InferenceResult> {
    return this.call('infer', run, progress);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    this.idle.length = 0;
  }
}

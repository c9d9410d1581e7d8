/**
 * A worker thread that owns one BoardBackend (and so, for "emulator", one
 * embedded emulated board of its own) and runs the calls the pool sends it.
 */
import { parentPort } from 'node:worker_threads';
import { BoardBackend, type BoardBackendOptions } from '../board-backend.js';
import type { InferenceRun, LayerTrainingRun } from '../backend.js';

export type WorkerRequest =
  | { id: number; kind: 'infer'; opts: BoardBackendOptions; run: InferenceRun }
  | { id: number; kind: 'train'; opts: BoardBackendOptions; run: LayerTrainingRun };

export type WorkerReply =
  | { id: number; kind: 'progress'; done: number; total: number }
  | { id: number; kind: 'done'; result: unknown; times: unknown }
  | { id: number; kind: 'error'; name: string; message: string; stack?: string | undefined };

const port = parentPort!;
port.on('message', (req: WorkerRequest) => {
  void (async () => {
    const backend = new BoardBackend(req.opts);
    const progress = (done: number, total: number) => port.postMessage({ id: req.id, kind: 'progress', done, total } satisfies WorkerReply);
    try {
      const result = req.kind === 'infer' ? await backend.runInference(req.run, progress) : await backend.trainLayer(req.run, progress);
      port.postMessage({ id: req.id, kind: 'done', result, times: backend.lastTimes } satisfies WorkerReply);
    } catch (e) {
      const err = e as Error;
      port.postMessage({ id: req.id, kind: 'error', name: err.name, message: err.message, stack: err.stack } satisfies WorkerReply);
    }
  })();
});

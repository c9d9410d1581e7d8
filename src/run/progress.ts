/** Progress bars on stderr for long steps, only when stderr is a terminal or when asked. */
import cliProgress from 'cli-progress';

export interface Progress {
  step(name: string, total: number): { tick(n?: number): void; done(): void };
}

const silent: Progress = { step: () => ({ tick() {}, done() {} }) };

export function makeProgress(mode: boolean | 'auto' | undefined): Progress {
  const on = mode === true || ((mode === 'auto' || mode === undefined) && process.stderr.isTTY === true);
  if (!on) return silent;
  return {
    step(name, total) {
      const bar = new cliProgress.SingleBar(
        { format: `${name.padEnd(10)} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true, clearOnComplete: false, fps: 10 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(1, total), 0);
      let n = 0;
      return {
        tick(k = 1) {
          n += k;
          bar.update(n);
        },
        done() {
          bar.update(Math.max(1, total));
          bar.stop();
        },
      };
    },
  };
}

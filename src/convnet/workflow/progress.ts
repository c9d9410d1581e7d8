import cliProgress from 'cli-progress';

/** A progress bar with ETA on stderr; a silent one when bars are off. */
export interface Bar {
  update(done: number, total?: number): void;
  stop(): void;
}

export type BarFactory = (name: string, total: number, unit: string) => Bar;

export const silentBars: BarFactory = () => ({ update() {}, stop() {} });

export function stderrBars(): BarFactory {
  return (name, total, unit) => {
    const bar = new cliProgress.SingleBar(
      {
        format: `${name.padEnd(22)} [{bar}] {percentage}% | {value}/{total} ${unit} | ETA {eta_formatted} | {duration_formatted}`,
        stream: process.stderr, hideCursor: true, clearOnComplete: false, fps: 5, etaBuffer: 20, noTTYOutput: !process.stderr.isTTY, notTTYSchedule: 10000,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.max(1, total), 0);
    return {
      update(done, t) {
        if (t !== undefined) bar.setTotal(Math.max(1, t));
        bar.update(done);
      },
      stop() {
        bar.stop();
      },
    };
  };
}

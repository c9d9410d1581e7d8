/**
 * SCP memory throughput over UDP on loopback: write and read of a block of
 * SDRAM on chip (0,0), with 1 and 8 requests in flight, against
 *   same:     the emulator embedded in this Node process (one event loop for both ends);
 *   separate: `spinn emulator` started as a child process (the figure reflects the client).
 * One summary line per figure.
 *
 *   npx tsx tools/bench/scp-throughput.ts [--mib 4] [--repeats 3] [--mode both|same|separate] [--windows 1,8]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../../src/emulator/index.js';
import { Transceiver } from '../../src/transceiver/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
function num(name: string, fallback: number): number {
  const v = Number(arg(name, String(fallback)));
  if (!(v > 0)) throw new Error(`--${name} must be a positive number`);
  return v;
}

/** Starts `spinn emulator` on an ephemeral loopback port; resolves with its port once it prints where it listens. */
async function startChildEmulator(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), 'emulator', '--listen', '127.0.0.1', '--port', '0', '--boot-port', '0', '--shape', 'spinn-3'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('spinn emulator did not report its port within 30 s')), 30000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /SC&MP on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`spinn emulator exited with code ${code} before listening: ${out.trim()}`));
    });
  });
  child.stdout!.resume();
  return { port, child };
}

async function measure(label: string, port: number, mib: number, repeats: number, windows: number[]): Promise<void> {
  const bytes = Math.round(mib * 1024 * 1024);
  const tx = await Transceiver.open({ address: '127.0.0.1', port, timeoutMs: 1000, tries: 5 });
  const data = new Uint8Array(randomBytes(bytes));
  const address = 0x61000000;
  try {
    await tx.write(0, 0, address, data.subarray(0, 64 * 1024)); // warm up
    for (const window of windows) {
      tx.conn.setWindow(window);
      for (const op of ['write', 'read'] as const) {
        let best = Infinity;
        let cpuUs = Infinity;
        for (let r = 0; r < repeats; r++) {
          const c0 = process.cpuUsage();
          const t0 = process.hrtime.bigint();
          if (op === 'write') await tx.write(0, 0, address, data);
          else {
            const back = await tx.read(0, 0, address, bytes);
            if (Buffer.compare(back, data) !== 0) throw new Error('read-back mismatch');
          }
          best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
          const c = process.cpuUsage(c0);
          cpuUs = Math.min(cpuUs, c.user + c.system);
        }
        const mbs = bytes / 1e6 / best;
        const packets = Math.ceil(bytes / 256);
        console.log(
          `scp-throughput ${label.padEnd(8)} ${op.padEnd(5)} window ${window}: ${mbs.toFixed(2)} MB/s ` +
            `(${(mbs * 8).toFixed(1)} Mbit/s; ${(cpuUs / packets).toFixed(1)} µs CPU per packet in this process; ` +
            `${mib} MiB in 256-byte packets, best of ${repeats})`,
        );
      }
    }
    const s = tx.conn.stats;
    console.log(`scp-throughput ${label.padEnd(8)} sent ${s.sent}, resent ${s.resent}, replies ${s.replies}, ignored ${s.ignored}`);
  } finally {
    await tx.close();
  }
}

async function main(): Promise<void> {
  const mib = num('mib', 4);
  const repeats = num('repeats', 3);
  const mode = arg('mode', 'both');
  const windows = arg('windows', '1,8').split(',').map(Number);
  if (!['both', 'same', 'separate'].includes(mode)) throw new Error('--mode must be both, same or separate');
  if (mode !== 'separate') {
    const emu = await startEmulator({ listen: '127.0.0.1', port: 0, bootPort: 0, shape: 'spinn-3' });
    try {
      await measure('same', emu.port, mib, repeats, windows);
    } finally {
      await emu.close();
    }
  }
  if (mode !== 'same') {
    const { port, child } = await startChildEmulator();
    try {
      await measure('separate', port, mib, repeats, windows);
    } finally {
      child.kill('SIGTERM');
    }
  }
}

main().catch((e: unknown) => {
  console.error(`scp-throughput: ${(e as Error).message}`);
  process.exit(1);
});

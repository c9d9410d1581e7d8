/**
 * A fault-injecting UDP proxy for loopback testing: it forwards datagrams
 * between clients and one target, and drops, duplicates, reorders, delays and
 * corrupts them at given rates, from a seeded random stream so a run can be
 * repeated. Each client gets its own upstream socket, so replies find their way
 * back, and come from the proxy's listening port as a connected client expects.
 *
 *   npx tsx tools/lossy-proxy.ts --target 127.0.0.1:17893 --listen 127.0.0.1:17894 --drop 0.1 --duplicate 0.05 --reorder 0.1
 */
import dgram from 'node:dgram';
import { pathToFileURL } from 'node:url';
import { Rng } from '../src/datasets/random.js';
import { isLoopback } from '../src/transceiver/loopback.js';

export { isLoopback };

export interface FaultRates {
  /** Probability that a datagram is dropped. */
  drop?: number;
  /** Probability that a datagram is sent twice. */
  duplicate?: number;
  /** Probability that a datagram is held back by up to `reorderMs`, letting later ones overtake it. */
  reorder?: number;
  /** Probability that one random bit of a datagram is flipped. */
  corrupt?: number;
  /** Fixed delay added to every datagram, in ms. */
  delayMs?: number;
  /** Largest hold-back of a reordered datagram, in ms. Default 20. */
  reorderMs?: number;
}

export interface LossyProxyOptions extends FaultRates {
  /** Where to forward to (must be a loopback address). */
  target: { address: string; port: number };
  /** Where to listen (loopback only). Default 127.0.0.1, port 0 (ephemeral). */
  listen?: { address?: string; port?: number };
  /** Seed for the fault decisions. Default 1. */
  seed?: number;
  /** Faults applied only in one direction; by default both ways. */
  directions?: 'both' | 'to-target' | 'to-client';
}

export interface ProxyStats {
  forwarded: number;
  dropped: number;
  duplicated: number;
  reordered: number;
  corrupted: number;
}

export interface LossyProxy {
  address: string;
  port: number;
  stats: ProxyStats;
  close(): Promise<void>;
}

/** The project's seeded stream (mulberry32), uniform in [0, 1); any number is a seed (taken as uint32). */
export function seededRandom(seed: number): () => number {
  const rng = new Rng(seed >>> 0);
  return () => rng.next();
}

function checkRate(name: string, v: number | undefined): void {
  if (v !== undefined && !(v >= 0 && v <= 1)) throw new RangeError(`${name} must be a probability in 0..1, got ${v}`);
}

export async function startLossyProxy(opts: LossyProxyOptions): Promise<LossyProxy> {
  const listenAddress = opts.listen?.address ?? '127.0.0.1';
  if (!isLoopback(listenAddress)) throw new Error(`the lossy proxy listens on loopback only; ${listenAddress} is not a loopback address`);
  if (!isLoopback(opts.target.address)) throw new Error(`the lossy proxy forwards to loopback only; ${opts.target.address} is not a loopback address`);
  for (const k of ['drop', 'duplicate', 'reorder', 'corrupt'] as const) checkRate(k, opts[k]);
  const rand = seededRandom(opts.seed ?? 1);
  const stats: ProxyStats = { forwarded: 0, dropped: 0, duplicated: 0, reordered: 0, corrupted: 0 };
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  const directions = opts.directions ?? 'both';

  /** Sends `msg` through `send` after applying the faults. */
  const deliver = (msg: Buffer, faulty: boolean, send: (b: Buffer) => void): void => {
    if (closed) return;
    if (!faulty) {
      stats.forwarded++;
      send(msg);
      return;
    }
    if (rand() < (opts.drop ?? 0)) {
      stats.dropped++;
      return;
    }
    let out = msg;
    if (rand() < (opts.corrupt ?? 0) && msg.length > 0) {
      out = Buffer.from(msg);
      const bit = Math.floor(rand() * out.length * 8);
      out[bit >> 3]! ^= 1 << (bit & 7);
      stats.corrupted++;
    }
    const copies = rand() < (opts.duplicate ?? 0) ? 2 : 1;
    if (copies === 2) stats.duplicated++;
    for (let i = 0; i < copies; i++) {
      let delay = opts.delayMs ?? 0;
      if (rand() < (opts.reorder ?? 0)) {
        stats.reordered++;
        delay += 1 + rand() * (opts.reorderMs ?? 20);
      }
      stats.forwarded++;
      if (delay <= 0) send(out);
      else {
        const t = setTimeout(() => {
          timers.delete(t);
          if (!closed) send(out);
        }, delay);
        timers.add(t);
      }
    }
  };

  const front = dgram.createSocket(listenAddress.includes(':') ? 'udp6' : 'udp4');
  const upstreams = new Map<string, dgram.Socket>();
  front.on('error', () => {});
  front.on('message', (msg, rinfo) => {
    const key = `${rinfo.address}:${rinfo.port}`;
    let up = upstreams.get(key);
    if (!up) {
      const sock = dgram.createSocket(opts.target.address.includes(':') ? 'udp6' : 'udp4');
      sock.on('error', () => {});
      sock.on('message', (reply) =>
        deliver(reply, directions !== 'to-target', (b) => {
          if (!closed) front.send(b, rinfo.port, rinfo.address);
        }),
      );
      sock.bind(0, opts.target.address === 'localhost' ? '127.0.0.1' : opts.target.address);
      upstreams.set(key, sock);
      up = sock;
    }
    const u = up;
    deliver(msg, directions !== 'to-client', (b) => {
      if (!closed) u.send(b, opts.target.port, opts.target.address);
    });
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.bind(opts.listen?.port ?? 0, listenAddress, () => {
      front.removeListener('error', reject);
      resolve();
    });
  });
  const addr = front.address();
  return {
    address: addr.address,
    port: addr.port,
    stats,
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const socks = [front, ...upstreams.values()];
      await Promise.all(socks.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}

function parseHostPort(s: string, what: string): { address: string; port: number } {
  const i = s.lastIndexOf(':');
  const port = Number(s.slice(i + 1));
  if (i < 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${what} must look like 127.0.0.1:17893, got "${s}"`);
  return { address: s.slice(0, i), port };
}

async function main(): Promise<void> {
  const { Command } = await import('commander');
  const program = new Command('lossy-proxy')
    .description('UDP proxy (loopback only) that drops, duplicates, reorders, delays and corrupts datagrams')
    .requiredOption('--target <host:port>', 'where to forward, e.g. 127.0.0.1:17893')
    .option('--listen <host:port>', 'where to listen', '127.0.0.1:17894')
    .option('--drop <p>', 'drop probability', '0')
    .option('--duplicate <p>', 'duplicate probability', '0')
    .option('--reorder <p>', 'reorder probability', '0')
    .option('--corrupt <p>', 'bit-flip probability', '0')
    .option('--delay <ms>', 'fixed delay per datagram', '0')
    .option('--seed <n>', 'random seed', '1')
    .parse();
  const o = program.opts<Record<string, string>>();
  try {
    const proxy = await startLossyProxy({
      target: parseHostPort(o.target!, '--target'),
      listen: parseHostPort(o.listen!, '--listen'),
      drop: Number(o.drop),
      duplicate: Number(o.duplicate),
      reorder: Number(o.reorder),
      corrupt: Number(o.corrupt),
      delayMs: Number(o.delay),
      seed: Number(o.seed),
    });
    console.log(`lossy proxy on ${proxy.address}:${proxy.port} → ${o.target}; Ctrl-C to stop`);
    process.on('SIGINT', () => {
      console.log(JSON.stringify(proxy.stats));
      void proxy.close().then(() => process.exit(0));
    });
  } catch (e) {
    console.error(`lossy-proxy: ${(e as Error).message}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();

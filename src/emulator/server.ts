import dgram from 'node:dgram';
import { type Machine, parseShape } from '../machine/index.js';
import type { AppRegistry } from './apps/app.js';
import { Board, type ScampVersion } from './board.js';
import { BootReceiver, imageBuildDate, imageSv, imageVersion } from './boot.js';
import { IpTagFlag, TAG_FIXED_SIZE } from '../protocol/iptag.js';
import { ScpCommand } from '../protocol/constants.js';
import { isLoopbackIPv4 } from '../transceiver/loopback.js';

export const DEFAULT_LISTEN = '127.0.0.1';
export const DEFAULT_SCAMP_PORT = 17893;
export const DEFAULT_BOOT_PORT = 54321;

export interface EmulatorOptions {
  /** Address to listen on (default 127.0.0.1). */
  listen?: string;
  /** spinn-3, spinn-5, WxH, ... (src/machine parseShape); default spinn-5. */
  shape?: string;
  /** Or a ready machine model (overrides shape). */
  machine?: Machine;
  /** Wait for a boot image on the boot port instead of starting booted. */
  unbooted?: boolean;
  /** SC&MP behaviour when pre-booted (default 4.0.0); unbooted boards take it from the image. */
  scamp?: ScampVersion;
  /** SC&MP 4.0.0's masking of handler errors as RC_OK (off: real codes). */
  maskErrors?: boolean;
  /** SC&MP port (default 17893; 0 = ephemeral, for tests). */
  port?: number;
  /** Boot ROM port (default 54321; 0 = ephemeral). */
  bootPort?: number;
  /** Allow binding an address outside 127.0.0.0/8. */
  allowNonLoopback?: boolean;
  registry?: AppRegistry;
  /** After a boot image is executed, CMD_VER reports 255,255 for this long (default 200 ms). */
  bootSettleMs?: number;
}

export interface EmulatorCounters {
  datagrams: number;
  bootDatagrams: number;
  reverseDatagrams: number;
  crashes: number;
}

export interface EmulatedBoard {
  readonly address: string;
  readonly port: number;
  readonly bootPort: number;
  readonly machine: Machine;
  /** The board; undefined until an unbooted emulator has been booted. */
  readonly board: Board | undefined;
  readonly counters: EmulatorCounters;
  /** Resolves when the board is booted and ready (at once when pre-booted). */
  booted(): Promise<Board>;
  close(): Promise<void>;
}

export class EmulatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorError';
  }
}

async function bind(socket: dgram.Socket, address: string, port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      socket.close();
      if (e.code === 'EADDRINUSE') {
        reject(
          new EmulatorError(
            `UDP port ${port} on ${address} (${what}) is already in use — another emulator or SpiNNaker tool is listening there. ` +
              `Stop it, or use another loopback address (--listen 127.0.0.2) or port (--port N).`,
          ),
        );
      } else if (e.code === 'EADDRNOTAVAIL') {
        reject(new EmulatorError(`cannot listen on ${address}: the address is not configured on this machine (${e.message})`));
      } else {
        reject(new EmulatorError(`cannot bind ${what} on ${address}:${port}: ${e.message}`));
      }
    };
    socket.once('error', onError);
    socket.bind(port, address, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

/** Starts an emulated SpiNNaker board answering SC&MP and the boot ROM on UDP. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<EmulatedBoard> {
  const address = opts.listen ?? DEFAULT_LISTEN;
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) throw new EmulatorError(`--listen must be an IPv4 address, got '${address}'`);
  if (!isLoopbackIPv4(address) && !opts.allowNonLoopback) {
    throw new EmulatorError(
      `refusing to listen on ${address}: the emulator only binds loopback addresses (127.0.0.0/8) unless allowNonLoopback is set explicitly`,
    );
  }
  const machine = opts.machine ?? parseShape(opts.shape ?? 'spinn-5');
  const counters: EmulatorCounters = { datagrams: 0, bootDatagrams: 0, reverseDatagrams: 0, crashes: 0 };
  const scamp = dgram.createSocket({ type: 'udp4', reuseAddr: false });
  const boot = dgram.createSocket({ type: 'udp4', reuseAddr: false });
  await bind(scamp, address, opts.port ?? DEFAULT_SCAMP_PORT, 'SC&MP');
  try {
    await bind(boot, address, opts.bootPort ?? DEFAULT_BOOT_PORT, 'boot ROM');
  } catch (e) {
    scamp.close();
    throw e;
  }
  for (const s of [scamp, boot]) {
    try {
      s.setRecvBufferSize(4 * 1024 * 1024); // a windowed client can burst; the OS may cap this
    } catch {
      /* keep the default */
    }
  }
  const port = scamp.address().port;
  const bootPort = boot.address().port;
  const reverse = new Map<number, dgram.Socket>();
  let board: Board | undefined;
  let closed = false;
  const waiters: ((b: Board) => void)[] = [];

  const makeBoard = (version: ScampVersion, bootSv?: Uint8Array, buildDate?: number): Board => {
    const b = new Board({
      machine,
      version,
      ...(buildDate !== undefined ? { buildDate } : {}),
      maskErrors: opts.maskErrors ?? false,
      rootIp: address,
      ...(bootSv ? { bootSv } : {}),
      ...(opts.registry ? { registry: opts.registry } : {}),
    });
    b.ethernetOut = (datagram, ip, dport, from) => {
      if (closed || !isLoopbackIPv4(ip) || dport === 0) return;
      const sock = from === 'scamp' ? scamp : (reverse.get(from) ?? scamp);
      sock.send(datagram, dport, ip, () => {});
    };
    return b;
  };

  const setReady = (b: Board) => {
    board = b;
    for (const w of waiters.splice(0)) w(b);
  };

  /** Binds a socket for every reverse IP tag's rx_port (loopback only). */
  const syncReverse = (b: Board) => {
    const tags = b.tagsOf(b.root);
    const wanted = new Set<number>();
    for (let t = 0; t < TAG_FIXED_SIZE; t++) {
      const tag = tags.get(t);
      if (tag.flags & IpTagFlag.REVERSE && tag.rxPort !== 0 && tag.rxPort !== port) wanted.add(tag.rxPort);
    }
    for (const [p, s] of reverse) {
      if (!wanted.has(p)) {
        s.close();
        reverse.delete(p);
      }
    }
    for (const p of wanted) {
      if (reverse.has(p)) continue;
      const s = dgram.createSocket('udp4');
      reverse.set(p, s);
      s.on('error', () => {
        reverse.delete(p);
        try {
          s.close();
        } catch {
          /* already closed */
        }
      });
      s.on('message', (d, rinfo) => {
        counters.reverseDatagrams++;
        try {
          board?.receiveReverse(board.root, p, new Uint8Array(d), rinfo.address, rinfo.port);
        } catch {
          counters.crashes++;
        }
      });
      s.bind(p, address);
    }
  };

  scamp.on('message', (d, rinfo) => {
    counters.datagrams++;
    const b = board;
    if (!b) return; // not booted: SC&MP is not running yet
    try {
      b.receiveScamp(b.root, new Uint8Array(d.buffer, d.byteOffset, d.length), rinfo.address, rinfo.port);
      // Only CMD_IPTAG can change the reverse tags; re-binding on every datagram cost ~9% of the CPU.
      if (d.length >= 12 && d.readUInt16LE(10) === ScpCommand.IPTAG) syncReverse(b);
    } catch {
      counters.crashes++;
    }
  });
  scamp.on('error', () => {});
  boot.on('error', () => {});

  if (opts.unbooted) {
    const receiver = new BootReceiver();
    boot.on('message', (d) => {
      counters.bootDatagrams++;
      if (board) return; // booted chips no longer listen to the boot ROM port
      try {
        const image = receiver.receive(new Uint8Array(d.buffer, d.byteOffset, d.length));
        if (!image) return;
        const v = imageVersion(image);
        const version: ScampVersion = v && v.startsWith('3.') ? '3.1.0' : '4.0.0';
        const b = makeBoard(version, imageSv(image), imageBuildDate(image));
        b.ready = false;
        board = b;
        setTimeout(() => {
          if (closed) return;
          b.ready = true;
          setReady(b);
        }, opts.bootSettleMs ?? 200);
      } catch {
        counters.crashes++;
      }
    });
  } else {
    boot.on('message', () => {
      counters.bootDatagrams++;
    });
    setReady(makeBoard(opts.scamp ?? '4.0.0'));
  }

  return {
    address,
    port,
    bootPort,
    machine,
    get board() {
      return board;
    },
    counters,
    booted: () =>
      board?.ready
        ? Promise.resolve(board)
        : new Promise<Board>((resolve) => {
            waiters.push(resolve);
          }),
    close: async () => {
      if (closed) return;
      closed = true;
      board?.close();
      for (const s of reverse.values()) s.close();
      await Promise.all([new Promise<void>((r) => scamp.close(() => r())), new Promise<void>((r) => boot.close(() => r()))]);
    },
  };
}

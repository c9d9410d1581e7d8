import DgramAsPromised, { type SocketAsPromised } from 'dgram-as-promised';
import { isIPv6 } from 'node:net';
import { SCAMP_PORT, ScpResult } from '../protocol/constants.js';
import * as scp from '../protocol/scp.js';
import * as sdp from '../protocol/sdp.js';
import { ScpError, type Target, rcHint } from './errors.js';

/** SC&MP has 8 transient IP tags, so at most 8 requests may be in flight per board. */
export const MAX_WINDOW = 8;

/**
 * Return codes worth resending the request for. rig retries RC_SUM and
 * RC_P2P_BUSY; SpiNNMan also RC_TIMEOUT and RC_P2P_TIMEOUT (a transient P2P or
 * mailbox failure on the board). RC_LEN and RC_P2P_NOREPLY are not retried
 * here: they mean the request is malformed or the chip is gone.
 */
export const RETRYABLE_RCS: ReadonlySet<number> = new Set([
  ScpResult.SUM,
  ScpResult.P2P_BUSY,
  ScpResult.P2P_TIMEOUT,
  ScpResult.TIMEOUT,
]);

export interface ConnectionOptions {
  /** The board's IP address (or host name). */
  address: string;
  /** SC&MP's UDP port; 17893 on a board. */
  port?: number;
  /** Requests in flight at once, 1..8. Default 8. */
  window?: number;
  /** Time to wait for each reply before resending, in ms. Default 500. */
  timeoutMs?: number;
  /** Attempts per request (first send included). Default 5. */
  tries?: number;
  /** Pause before resending after a retryable return code, in ms. Default 10. */
  retryDelayMs?: number;
}

export interface ScpCall {
  x: number;
  y: number;
  p: number;
  cmd: number;
  /** Up to three u32 args; missing ones are sent as 0 (SC&MP requires all three). */
  args?: readonly number[];
  data?: Uint8Array;
  /** How many u32 args precede the data in the reply (0 for raw-data replies such as READ). */
  replyArgs?: number;
  /** SDP destination port on the core (default 0, SC&MP/SARK; 1 = FEC simulation control). */
  port?: number;
  /** Overrides the connection's per-try time-out. */
  timeoutMs?: number;
  /** Overrides the connection's tries. */
  tries?: number;
  /** Overrides which return codes are retried. */
  retryable?: ReadonlySet<number>;
  /** Return codes that resolve instead of rejecting (the caller inspects `rc`). */
  accept?: ReadonlySet<number>;
  /**
   * Checks a reply; a string names what is wrong, and the reply is then
   * treated as lost (the request is resent on time-out). Guards against
   * truncated or corrupted datagrams.
   */
  validate?: (reply: ScpReply) => string | undefined;
}

export interface ScpReply {
  rc: number;
  args: number[];
  data: Uint8Array;
  /** The chip that answered (SC&MP puts its own address in srce). */
  srceX: number;
  srceY: number;
}

interface Pending {
  call: ScpCall;
  target: Target;
  resolve: (r: ScpReply) => void;
  reject: (e: Error) => void;
  seq: number;
  bytes: Uint8Array;
  tries: number;
  maxTries: number;
  timeoutMs: number;
  timer?: NodeJS.Timeout;
  invalid?: string;
}

/**
 * One UDP connection to SC&MP on a board: a socket connected to the board's
 * address and port, a sliding window of requests in flight, 16-bit sequence
 * numbers, replies matched by sequence number, resends on time-out and on
 * retryable return codes. Every request is bounded: it settles after at most
 * tries × timeout (plus retry pauses).
 */
export class ScpConnection {
  readonly address: string;
  readonly port: number;
  readonly name: string;
  readonly timeoutMs: number;
  readonly tries: number;
  private windowSize: number;
  private readonly retryDelayMs: number;
  private readonly sock: SocketAsPromised;
  private readonly queue: Pending[] = [];
  private readonly outstanding = new Map<number, Pending>();
  private nextSeq = 0;
  private closed = false;
  private lastSocketError?: string;
  /** Statistics, for tests and benchmarks. */
  readonly stats = { sent: 0, resent: 0, replies: 0, ignored: 0, invalid: 0 };

  private constructor(sock: SocketAsPromised, opts: Required<ConnectionOptions>) {
    this.sock = sock;
    this.address = opts.address;
    this.port = opts.port;
    this.name = opts.port === SCAMP_PORT ? opts.address : `${opts.address}:${opts.port}`;
    this.windowSize = opts.window;
    this.timeoutMs = opts.timeoutMs;
    this.tries = opts.tries;
    this.retryDelayMs = opts.retryDelayMs;
  }

  static async open(options: ConnectionOptions): Promise<ScpConnection> {
    const opts: Required<ConnectionOptions> = {
      port: SCAMP_PORT,
      window: MAX_WINDOW,
      timeoutMs: 500,
      tries: 5,
      retryDelayMs: 10,
      ...options,
    };
    checkWindow(opts.window);
    if (!Number.isInteger(opts.tries) || opts.tries < 1) throw new RangeError(`tries must be a positive integer, got ${opts.tries}`);
    if (!(opts.timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${opts.timeoutMs}`);
    const sock = DgramAsPromised.createSocket(isIPv6(opts.address) ? 'udp6' : 'udp4');
    const conn = new ScpConnection(sock, opts);
    sock.socket.on('message', (msg: Buffer) => conn.onMessage(msg));
    sock.socket.on('error', (err: NodeJS.ErrnoException) => conn.onSocketError(err));
    await sock.bind(0);
    await new Promise<void>((resolve, reject) => {
      sock.socket.once('error', reject);
      sock.socket.connect(opts.port, opts.address, () => {
        sock.socket.removeListener('error', reject);
        resolve();
      });
    });
    sock.unref();
    return conn;
  }

  get window(): number {
    return this.windowSize;
  }

  /** Changes how many requests may be in flight (1..8). */
  setWindow(n: number): void {
    checkWindow(n);
    this.windowSize = n;
    this.pump();
  }

  /** Sends one SCP request and resolves with its reply (rc OK, or one of `call.accept`). */
  request(call: ScpCall): Promise<ScpReply> {
    const target: Target = { board: this.name, x: call.x, y: call.y, p: call.p, cmd: call.cmd };
    if (this.closed) return Promise.reject(ScpError.closed(target));
    const args = call.args ?? [];
    if (args.length > 3) return Promise.reject(new RangeError('an SCP request carries at most 3 args'));
    const data = call.data ?? new Uint8Array(0);
    if (data.length > scp.SCP_MAX_DATA) {
      return Promise.reject(new RangeError(`an SCP request carries at most ${scp.SCP_MAX_DATA} data bytes, got ${data.length}`));
    }
    const payload = scp.encode({ cmdRc: call.cmd, seq: 0, args: [args[0] ?? 0, args[1] ?? 0, args[2] ?? 0], data });
    const bytes = sdp.encode({
      header: {
        flags: sdp.SDP_FLAGS_REQUEST,
        tag: sdp.SDP_TAG_TRANSIENT,
        destPort: call.port ?? 0,
        destCpu: call.p,
        srcePort: 7,
        srceCpu: 31,
        destX: call.x,
        destY: call.y,
        srceX: 0,
        srceY: 0,
      },
      payload,
    });
    return new Promise<ScpReply>((resolve, reject) => {
      this.queue.push({
        call,
        target,
        resolve,
        reject,
        seq: -1,
        bytes,
        tries: 0,
        maxTries: call.tries ?? this.tries,
        timeoutMs: call.timeoutMs ?? this.timeoutMs,
      });
      this.pump();
    });
  }

  /** Fails everything still queued or in flight and closes the socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of [...this.outstanding.values(), ...this.queue.splice(0)]) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(ScpError.closed(p.target));
    }
    this.outstanding.clear();
    await this.sock.close();
  }

  private pump(): void {
    while (!this.closed && this.outstanding.size < this.windowSize && this.queue.length > 0) {
      const p = this.queue.shift()!;
      p.seq = this.allocSeq();
      // Patch the sequence number into the prepared datagram: pad 2 + SDP 8 + cmd_rc 2.
      p.bytes[12] = p.seq & 0xff;
      p.bytes[13] = p.seq >> 8;
      this.outstanding.set(p.seq, p);
      this.transmit(p);
    }
    if (this.outstanding.size === 0) this.sock.unref();
    else this.sock.ref();
  }

  private allocSeq(): number {
    for (;;) {
      const s = this.nextSeq;
      this.nextSeq = (this.nextSeq + 1) & 0xffff;
      if (!this.outstanding.has(s)) return s;
    }
  }

  private transmit(p: Pending): void {
    p.tries++;
    if (p.tries > 1) this.stats.resent++;
    this.stats.sent++;
    this.sock.socket.send(p.bytes, (err) => {
      if (err) this.lastSocketError = err.message;
    });
    p.timer = setTimeout(() => this.onTimeout(p), p.timeoutMs);
  }

  private onTimeout(p: Pending): void {
    p.timer = undefined;
    if (this.outstanding.get(p.seq) !== p) return;
    if (p.tries < p.maxTries) {
      this.transmit(p);
      return;
    }
    const hints = [p.invalid ? `last reply was invalid: ${p.invalid}` : undefined, this.lastSocketError].filter(Boolean);
    this.settle(p, () => p.reject(ScpError.timeout(p.target, p.tries, p.timeoutMs, hints.join('; ') || undefined)));
  }

  private settle(p: Pending, fn: () => void): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = undefined;
    this.outstanding.delete(p.seq);
    fn();
    this.pump();
  }

  private onSocketError(err: NodeJS.ErrnoException): void {
    // A connected UDP socket reports ICMP "port unreachable" as ECONNREFUSED on a
    // later operation. Requests still time out normally; keep the reason for the message.
    this.lastSocketError =
      err.code === 'ECONNREFUSED' ? `nothing is listening on ${this.address} port ${this.port}` : `socket error: ${err.message}`;
  }

  private onMessage(msg: Buffer): void {
    // Smallest reply: pad (2) + SDP header (8) + cmd_rc and seq (4).
    if (msg.length < 14) {
      this.stats.ignored++;
      return;
    }
    const bytes = new Uint8Array(msg.buffer, msg.byteOffset, msg.length);
    let decoded: sdp.SdpMessage;
    try {
      decoded = sdp.decode(bytes);
    } catch {
      this.stats.ignored++;
      return;
    }
    const seq = decoded.payload[2]! | (decoded.payload[3]! << 8);
    const p = this.outstanding.get(seq);
    if (!p) {
      // A late or duplicated reply to a request already settled.
      this.stats.ignored++;
      return;
    }
    const rc = decoded.payload[0]! | (decoded.payload[1]! << 8);
    this.stats.replies++;
    if (rc === ScpResult.OK || p.call.accept?.has(rc)) {
      const body = scp.decode(decoded.payload, rc === ScpResult.OK ? (p.call.replyArgs ?? 0) : 3);
      const reply: ScpReply = {
        rc,
        args: body.args,
        data: Uint8Array.from(body.data),
        srceX: decoded.header.srceX,
        srceY: decoded.header.srceY,
      };
      const problem = p.call.validate?.(reply);
      if (problem) {
        this.stats.invalid++;
        p.invalid = problem;
        return;
      }
      this.settle(p, () => p.resolve(reply));
      return;
    }
    if (rc < 0x80 || rc > 0x8f) {
      // Not a return code at all: a corrupted datagram.
      this.stats.invalid++;
      p.invalid = `unknown return code 0x${rc.toString(16)}`;
      return;
    }
    const retryable = p.call.retryable ?? RETRYABLE_RCS;
    if (retryable.has(rc) && p.tries < p.maxTries) {
      if (p.timer) clearTimeout(p.timer);
      p.timer = setTimeout(() => {
        p.timer = undefined;
        if (this.outstanding.get(p.seq) === p) this.transmit(p);
      }, this.retryDelayMs);
      return;
    }
    this.settle(p, () => p.reject(ScpError.returnCode(p.target, rc, rcHint(rc))));
  }
}

function checkWindow(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_WINDOW) {
    throw new RangeError(`window must be 1..${MAX_WINDOW} requests in flight (SC&MP has ${MAX_WINDOW} transient tags), got ${n}`);
  }
}

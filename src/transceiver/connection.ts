import DgramAsPromised, { type SocketAsPromised } from 'dgram-as-promised';
import type { Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { performance } from 'node:perf_hooks';
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
  /** The reply's data: a view into the received datagram (mind `byteOffset` when wrapping `data.buffer`). */
  data: Uint8Array;
  /** The chip that answered (SC&MP puts its own address in srce). */
  srceX: number;
  srceY: number;
}

interface Pending {
  call: ScpCall;
  resolve: (r: ScpReply) => void;
  reject: (e: Error) => void;
  seq: number;
  /** The datagram; the sequence number is patched in when a slot is free. */
  bytes: Buffer;
  tries: number;
  maxTries: number;
  timeoutMs: number;
  /** performance.now() at which the current try times out; Infinity while a retry pause runs. */
  deadline: number;
  retryTimer?: NodeJS.Timeout;
  invalid?: string;
}

// Offsets in a datagram: pad (2) + SDP header (8), then SCP cmd_rc (2) and seq (2).
const SCP_OFFSET = sdp.SDP_PAD_BYTES + sdp.SDP_HEADER_BYTES;
const SEQ_OFFSET = SCP_OFFSET + 2;
// SDP header bytes 6..9 (after the pad): dest y, dest x, srce y, srce x.
const SRCE_Y_OFFSET = sdp.SDP_PAD_BYTES + 6;
const SRCE_X_OFFSET = sdp.SDP_PAD_BYTES + 7;
const EMPTY = new Uint8Array(0);
const NO_ARGS = [0, 0, 0];
/** A time-out timer may fire up to a millisecond before the deadline (libuv's clock is coarser). */
const TIMER_SLACK_MS = 1;

/**
 * One UDP connection to SC&MP on a board: a socket connected to the board's
 * address and port, a sliding window of requests in flight, 16-bit sequence
 * numbers, replies matched by sequence number, resends on time-out and on
 * retryable return codes. Every request is bounded: it settles after at most
 * tries × timeout (plus retry pauses).
 *
 * The per-request path avoids work that costs more than the loopback round
 * trip itself (see docs/client-and-cli.md, "Measured throughput"): one pooled
 * buffer per datagram, one time-out timer per connection instead of one per
 * request, and the reply header read at fixed offsets.
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
  private readonly udp: Socket;
  /** Requests waiting for a window slot: queue[queueHead..] (a head index avoids O(n) shifts). */
  private queue: Pending[] = [];
  private queueHead = 0;
  private readonly outstanding = new Map<number, Pending>();
  private nextSeq = 0;
  private closed = false;
  private refed = false;
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;
  private readonly onTimerBound = () => this.onTimer();
  private lastSocketError?: string;
  /** Statistics, for tests and benchmarks. */
  readonly stats = { sent: 0, resent: 0, replies: 0, ignored: 0, invalid: 0 };

  private constructor(sock: SocketAsPromised, opts: Required<ConnectionOptions>) {
    this.sock = sock;
    this.udp = sock.socket;
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
    if (this.closed) return Promise.reject(ScpError.closed(this.targetOf(call)));
    const args = call.args ?? NO_ARGS;
    if (args.length > 3) return Promise.reject(new RangeError('an SCP request carries at most 3 args'));
    const data = call.data ?? EMPTY;
    if (data.length > scp.SCP_MAX_DATA) {
      return Promise.reject(new RangeError(`an SCP request carries at most ${scp.SCP_MAX_DATA} data bytes, got ${data.length}`));
    }
    const packet: scp.ScpPacket = { cmdRc: call.cmd, seq: 0, args: args.length === 3 ? (args as number[]) : [args[0] ?? 0, args[1] ?? 0, args[2] ?? 0], data };
    // Pooled (allocUnsafe) rather than a fresh ArrayBuffer: every byte is written below.
    const bytes = Buffer.allocUnsafe(SCP_OFFSET + scp.encodingLength(packet));
    sdp.encode(
      {
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
        payload: EMPTY,
      },
      bytes,
    );
    scp.encode(packet, bytes, SCP_OFFSET);
    return new Promise<ScpReply>((resolve, reject) => {
      this.queue.push({
        call,
        resolve,
        reject,
        seq: -1,
        bytes,
        tries: 0,
        maxTries: call.tries ?? this.tries,
        timeoutMs: call.timeoutMs ?? this.timeoutMs,
        deadline: Infinity,
      });
      this.pump();
    });
  }

  /** Fails everything still queued or in flight and closes the socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.disarm();
    const pending = [...this.outstanding.values(), ...this.queue.slice(this.queueHead)];
    this.outstanding.clear();
    this.queue = [];
    this.queueHead = 0;
    for (const p of pending) {
      if (p.retryTimer) clearTimeout(p.retryTimer);
      p.reject(ScpError.closed(this.targetOf(p.call)));
    }
    await this.sock.close();
  }

  private targetOf(call: ScpCall): Target {
    return { board: this.name, x: call.x, y: call.y, p: call.p, cmd: call.cmd };
  }

  private pump(): void {
    while (!this.closed && this.outstanding.size < this.windowSize && this.queueHead < this.queue.length) {
      const p = this.queue[this.queueHead]!;
      this.queue[this.queueHead++] = undefined as unknown as Pending;
      p.seq = this.allocSeq();
      p.bytes[SEQ_OFFSET] = p.seq & 0xff;
      p.bytes[SEQ_OFFSET + 1] = p.seq >> 8;
      this.outstanding.set(p.seq, p);
      this.transmit(p);
    }
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    } else if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    const busy = this.outstanding.size > 0;
    if (busy !== this.refed) {
      this.refed = busy;
      if (busy) this.sock.ref();
      else this.sock.unref();
    }
    if (!busy) this.disarm();
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
    // No callback: a failed send is reported through the socket's 'error' event (onSocketError).
    this.udp.send(p.bytes);
    p.deadline = performance.now() + p.timeoutMs;
    this.arm(p.deadline);
  }

  /** Makes sure the connection's single time-out timer fires no later than `deadline`. */
  private arm(deadline: number): void {
    if (deadline >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = deadline;
    this.timer = setTimeout(this.onTimerBound, Math.max(0, deadline - performance.now()));
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = performance.now() + TIMER_SLACK_MS;
    for (const p of [...this.outstanding.values()]) {
      if (p.deadline <= now && this.outstanding.get(p.seq) === p) this.onTimeout(p);
    }
    let next = Infinity;
    for (const p of this.outstanding.values()) if (p.deadline < next) next = p.deadline;
    if (next !== Infinity) this.arm(next);
  }

  private onTimeout(p: Pending): void {
    if (p.tries < p.maxTries) {
      this.transmit(p);
      return;
    }
    const hints = [p.invalid ? `last reply was invalid: ${p.invalid}` : undefined, this.lastSocketError].filter(Boolean);
    this.settle(p);
    p.reject(ScpError.timeout(this.targetOf(p.call), p.tries, p.timeoutMs, hints.join('; ') || undefined));
  }

  /** Takes `p` out of the window (its promise is settled by the caller) and refills the window. */
  private settle(p: Pending): void {
    if (p.retryTimer) clearTimeout(p.retryTimer);
    p.retryTimer = undefined;
    p.deadline = Infinity;
    this.outstanding.delete(p.seq);
    this.pump();
  }

  private onSocketError(err: NodeJS.ErrnoException): void {
    // A connected UDP socket reports ICMP "port unreachable" as ECONNREFUSED on a
    // later operation. Requests still time out normally; keep the reason for the message.
    this.lastSocketError =
      err.code === 'ECONNREFUSED' ? `nothing is listening on ${this.address} port ${this.port}` : `socket error: ${err.message}`;
  }

  private onMessage(msg: Buffer): void {
    // Smallest reply: pad + SDP header + cmd_rc and seq; largest: what sdp.decode accepts.
    if (msg.length < SCP_OFFSET + scp.SCP_HEADER_BYTES || msg.length - sdp.SDP_PAD_BYTES > sdp.SDP_MAX_BYTES) {
      this.stats.ignored++;
      return;
    }
    const p = this.outstanding.get(msg[SEQ_OFFSET]! | (msg[SEQ_OFFSET + 1]! << 8));
    if (!p) {
      // A late or duplicated reply to a request already settled.
      this.stats.ignored++;
      return;
    }
    const rc = msg[SCP_OFFSET]! | (msg[SCP_OFFSET + 1]! << 8);
    this.stats.replies++;
    if (rc === ScpResult.OK || p.call.accept?.has(rc)) {
      // Node gives every datagram its own buffer, so the data can stay a view of it.
      const body = scp.decode(msg, rc === ScpResult.OK ? (p.call.replyArgs ?? 0) : 3, SCP_OFFSET);
      const data = new Uint8Array(body.data.buffer, body.data.byteOffset, body.data.length);
      const reply: ScpReply = { rc, args: body.args, data, srceX: msg[SRCE_X_OFFSET]!, srceY: msg[SRCE_Y_OFFSET]! };
      const problem = p.call.validate?.(reply);
      if (problem) {
        this.stats.invalid++;
        p.invalid = problem;
        return;
      }
      this.settle(p);
      p.resolve(reply);
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
      if (p.retryTimer) return; // a duplicate of the reply that started the pause
      p.deadline = Infinity;
      p.retryTimer = setTimeout(() => {
        p.retryTimer = undefined;
        if (this.outstanding.get(p.seq) === p) this.transmit(p);
      }, this.retryDelayMs);
      return;
    }
    this.settle(p);
    p.reject(ScpError.returnCode(this.targetOf(p.call), rc, rcHint(rc)));
  }
}

function checkWindow(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_WINDOW) {
    throw new RangeError(`window must be 1..${MAX_WINDOW} requests in flight (SC&MP has ${MAX_WINDOW} transient tags), got ${n}`);
  }
}

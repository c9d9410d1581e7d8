import dgram from 'node:dgram';

/** A minimal test-only SCP client over a connected UDP socket (no retries: the emulator is on loopback). */
export interface ScpReply {
  flags: number;
  tag: number;
  destPortCpu: number;
  srcePortCpu: number;
  destX: number;
  destY: number;
  srceX: number;
  srceY: number;
  rc: number;
  seq: number;
  /** Bytes after cmd_rc/seq. */
  data: Uint8Array;
  raw: Uint8Array;
}

export interface Target {
  x?: number;
  y?: number;
  cpu?: number;
  port?: number;
  flags?: number;
  tag?: number;
}

export class TestClient {
  private seq = 0;
  private readonly pending = new Map<number, (r: ScpReply) => void>();
  readonly extra: Uint8Array[] = [];

  private constructor(readonly socket: dgram.Socket) {
    socket.on('message', (d) => {
      const raw = new Uint8Array(d);
      if (raw.length < 14) {
        this.extra.push(raw);
        return;
      }
      const r: ScpReply = {
        flags: raw[2],
        tag: raw[3],
        destPortCpu: raw[4],
        srcePortCpu: raw[5],
        destY: raw[6],
        destX: raw[7],
        srceY: raw[8],
        srceX: raw[9],
        rc: raw[10] | (raw[11] << 8),
        seq: raw[12] | (raw[13] << 8),
        data: raw.subarray(14),
        raw,
      };
      const cb = this.pending.get(r.seq);
      if (cb) {
        this.pending.delete(r.seq);
        cb(r);
      } else this.extra.push(raw);
    });
  }

  static async connect(address: string, port: number): Promise<TestClient> {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((res) => s.bind(0, '127.0.0.1', () => res()));
    await new Promise<void>((res) => s.connect(port, address, () => res()));
    return new TestClient(s);
  }

  static packet(cmd: number, seq: number, args: number[], data: Uint8Array = new Uint8Array(0), t: Target = {}): Uint8Array {
    const out = new Uint8Array(10 + 16 + data.length);
    const v = new DataView(out.buffer);
    out[2] = t.flags ?? 0x87;
    out[3] = t.tag ?? 0xff;
    out[4] = ((t.port ?? 0) << 5) | (t.cpu ?? 0);
    out[5] = 0xff;
    out[6] = t.y ?? 0;
    out[7] = t.x ?? 0;
    v.setUint16(10, cmd, true);
    v.setUint16(12, seq, true);
    for (let i = 0; i < 3; i++) v.setUint32(14 + 4 * i, (args[i] ?? 0) >>> 0, true);
    out.set(data, 26);
    return out;
  }

  send(raw: Uint8Array): void {
    this.socket.send(raw);
  }

  /** Sends one request; resolves with the reply or rejects after timeoutMs. */
  request(cmd: number, args: number[] = [], data?: Uint8Array, t: Target = {}, timeoutMs = 2000): Promise<ScpReply> {
    const seq = (this.seq = (this.seq + 1) & 0xffff);
    return new Promise<ScpReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new Error(`no reply to command ${cmd} (seq ${seq}) within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(seq, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.socket.send(TestClient.packet(cmd, seq, args, data, t));
    });
  }

  async ok(cmd: number, args: number[] = [], data?: Uint8Array, t: Target = {}): Promise<ScpReply> {
    const r = await this.request(cmd, args, data, t);
    if (r.rc !== 0x80) throw new Error(`command ${cmd} failed with rc 0x${r.rc.toString(16)}`);
    return r;
  }

  async read(addr: number, len: number, t: Target = {}, type = 0): Promise<Uint8Array> {
    return (await this.ok(2, [addr, len, type], undefined, t)).data;
  }

  async write(addr: number, data: Uint8Array, t: Target = {}, type = 0): Promise<void> {
    await this.ok(3, [addr, data.length, type], data, t);
  }

  async readU32(addr: number, t: Target = {}): Promise<number> {
    const d = await this.read(addr, 4, t, 2);
    return new DataView(d.buffer, d.byteOffset, 4).getUint32(0, true);
  }

  async writeU32(addr: number, v: number, t: Target = {}): Promise<void> {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    await this.write(addr, b, t, 2);
  }

  arg(r: ScpReply, i: number): number {
    return new DataView(r.data.buffer, r.data.byteOffset, r.data.length).getUint32(4 * i, true);
  }

  close(): void {
    this.socket.close();
  }
}

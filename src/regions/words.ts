/**
 * Shared plumbing for region codecs: little-endian word packing, the FEC
 * region checksum, and the bit-width rule the host uses for row fields.
 */

/** Every region codec has this dns-packet-style shape. */
export interface RegionCodec<T> {
  encode(obj: T): Uint8Array;
  decode(bytes: Uint8Array): T;
  encodingLength(obj: T): number;
}

export class RegionFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegionFormatError';
  }
}

/** Pack 32-bit words (signed or unsigned) into little-endian bytes. */
export function wordsToBytes(words: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < words.length; i++) view.setUint32(i * 4, words[i]! >>> 0, true);
  return out;
}

/** Read little-endian 32-bit words; the byte count must be a multiple of 4. */
export function bytesToWords(bytes: Uint8Array, what = 'region'): Uint32Array {
  if (bytes.length % 4 !== 0) {
    throw new RegionFormatError(`${what}: ${bytes.length} bytes is not a whole number of 32-bit words`);
  }
  const out = new Uint32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}

/** Word-aligned reader with bounds checks that name the region being read. */
export class WordReader {
  private pos = 0;
  constructor(private readonly words: Uint32Array, private readonly what: string) {}
  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.words.length - this.pos;
  }
  u32(field: string): number {
    if (this.pos >= this.words.length) {
      throw new RegionFormatError(`${this.what}: truncated before field ${field} (word ${this.pos})`);
    }
    return this.words[this.pos++]!;
  }
  i32(field: string): number {
    return this.u32(field) | 0;
  }
  array(n: number, field: string): number[] {
    if (this.pos + n > this.words.length) {
      throw new RegionFormatError(`${this.what}: ${field} needs ${n} words, only ${this.remaining} left`);
    }
    const a = Array.from(this.words.subarray(this.pos, this.pos + n));
    this.pos += n;
    return a;
  }
}

/** FEC region checksum: 32-bit wrapped sum of the content's words (zero-padded to a word). */
export function regionChecksum(content: Uint8Array): number {
  const padded = content.length % 4 === 0 ? content : padToWord(content);
  const words = bytesToWords(padded);
  let sum = 0;
  for (const w of words) sum = (sum + w) >>> 0;
  return sum;
}

export function padToWord(content: Uint8Array): Uint8Array {
  const len = Math.ceil(content.length / 4) * 4;
  if (len === content.length) return content;
  const out = new Uint8Array(len);
  out.set(content);
  return out;
}

/**
 * Bits needed to index n items, as PACMAN's get_n_bits: 0 → 0, 1 → 1,
 * otherwise ceil(log2 n).
 */
export function getNBits(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`getNBits: ${n} is not a non-negative integer`);
  if (n <= 1) return n;
  return 32 - Math.clz32(n - 1);
}

/** Word ↔ 8-hex-digit strings, the format of the golden vectors. */
export function wordsToHex(words: ArrayLike<number>): string[] {
  return Array.from(words, (w) => (w >>> 0).toString(16).padStart(8, '0'));
}
export function hexToWords(hex: readonly string[]): Uint32Array {
  return Uint32Array.from(hex, (h) => parseInt(h, 16) >>> 0);
}

export function checkU32(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`${field} = ${value} is not an unsigned 32-bit integer`);
  }
  return value;
}

export function checkUInt(value: number, bits: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new RangeError(`${field} = ${value} does not fit ${bits} unsigned bits`);
  }
  return value;
}

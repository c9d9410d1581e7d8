/**
 * The binary-search master population table, decoded once into typed
 * arrays so that a spike's lookup allocates nothing
 * (`population_table_binary_search_impl.c`).
 */
import { FirmwareFault, RTE_API } from '../fec/fault.js';

export class PopTable {
  readonly n: number;
  readonly keys: Uint32Array;
  readonly masks: Uint32Array;
  readonly start: Uint32Array;
  readonly count: Uint32Array;
  readonly colourBits: Uint32Array;
  readonly coreMask: Uint32Array;
  readonly maskShift: Uint32Array;
  readonly nNeurons: Uint32Array;
  /** Per address item: word offset of the block from the matrix start (−1 = invalid), and row stride in words. */
  readonly itemWord: Int32Array;
  readonly itemStride: Uint32Array;

  constructor(words: Uint32Array) {
    if (words.length < 2) throw new FirmwareFault('master population table: region shorter than its 2-word header', RTE_API);
    const n = words[0]!;
    const nItems = words[1]!;
    if (words.length < 2 + 5 * n + nItems) {
      throw new FirmwareFault(`master population table: ${n} entries and ${nItems} address items need ${2 + 5 * n + nItems} words, region has ${words.length}`, RTE_API);
    }
    this.n = n;
    this.keys = new Uint32Array(n); this.masks = new Uint32Array(n); this.start = new Uint32Array(n); this.count = new Uint32Array(n);
    this.colourBits = new Uint32Array(n); this.coreMask = new Uint32Array(n); this.maskShift = new Uint32Array(n); this.nNeurons = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const b = 2 + 5 * i;
      this.keys[i] = words[b]!;
      this.masks[i] = words[b + 1]!;
      this.start[i] = words[b + 2]! & 0x1fff;
      this.colourBits[i] = (words[b + 2]! >>> 13) & 7;
      this.count[i] = words[b + 2]! >>> 16;
      this.coreMask[i] = words[b + 3]! & 0xffff;
      this.maskShift[i] = words[b + 3]! >>> 16;
      this.nNeurons[i] = words[b + 4]! & 0xffff;
      if (this.start[i]! + this.count[i]! > nItems) throw new FirmwareFault(`master population table entry ${i}: items ${this.start[i]}+${this.count[i]} beyond the ${nItems}-item list`, RTE_API);
    }
    this.itemWord = new Int32Array(nItems);
    this.itemStride = new Uint32Array(nItems);
    for (let j = 0; j < nItems; j++) {
      const w = words[2 + 5 * n + j]!;
      const a = w >>> 8;
      this.itemWord[j] = a === 0xffffff ? -1 : a * 4;
      this.itemStride[j] = (w & 0xff) + 1 + 3;
    }
  }

  /** Index of the entry matching the key, or −1. */
  find(key: number): number {
    const keys = this.keys, masks = this.masks;
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const masked = (key & masks[mid]!) >>> 0;
      const k = keys[mid]!;
      if (masked === k) return mid;
      if (k < masked) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  /** Bytes of the synaptic matrix any row of this table can reach. */
  reach(): number {
    let max = 0;
    for (let i = 0; i < this.n; i++) {
      const rows = (this.coreMask[i]! + 1) * this.nNeurons[i]!;
      for (let j = this.start[i]!; j < this.start[i]! + this.count[i]!; j++) {
        if (this.itemWord[j]! < 0) continue;
        max = Math.max(max, 4 * (this.itemWord[j]! + rows * this.itemStride[j]!));
      }
    }
    return max;
  }
}

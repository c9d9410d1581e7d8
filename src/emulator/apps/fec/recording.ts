/**
 * FEC `recording.c`: channels allocated from the SDRAM heap at start, records
 * appended linearly during a run, sizes written back at the end of a run,
 * and every channel restarted at its buffer's start on resume.
 */
import { ALLOC_ID, ALLOC_LOCK } from '../../heap.js';
import type { CoreApi } from '../app.js';
import { readWords } from './data-spec.js';
import { FirmwareFault, RTE_API } from './fault.js';

export class Recorder {
  readonly nChannels: number;
  /** Per channel: buffer address (0 = channel off), bytes reserved, next write address, missing flag. */
  readonly data: Uint32Array;
  readonly space: Uint32Array;
  private readonly write: Uint32Array;
  private readonly left: Uint32Array;
  private readonly missing: Uint8Array;

  constructor(private readonly api: CoreApi, private readonly header: number) {
    const n = api.readU32(header);
    if (n > 64) throw new FirmwareFault(`recording region at 0x${header.toString(16)} claims ${n} channels`, RTE_API);
    this.nChannels = n;
    const words = readWords(api, header + 4, 3 * n);
    this.data = new Uint32Array(n);
    this.space = new Uint32Array(n);
    this.write = new Uint32Array(n);
    this.left = new Uint32Array(n);
    this.missing = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const space = words[3 * i]!;
      this.space[i] = space;
      if (space === 0) continue;
      if (!api.sdramAlloc) throw new FirmwareFault('this board gives apps no SDRAM allocator (CoreApi.sdramAlloc)', RTE_API);
      const ptr = api.sdramAlloc(space, 0, ALLOC_LOCK | ALLOC_ID);
      if (ptr === 0) {
        throw new FirmwareFault(`could not allocate recording channel ${i} of ${space} bytes from the SDRAM heap: reserve less recording space or run shorter`, RTE_API);
      }
      this.data[i] = ptr;
      api.writeU32(header + 4 + 12 * i + 8, ptr);
    }
    this.reset();
  }

  /** `recording_reset`: every channel starts again at its buffer's start. */
  reset(): void {
    for (let i = 0; i < this.nChannels; i++) {
      this.write[i] = this.data[i]!;
      this.left[i] = this.data[i] ? this.space[i]! : 0;
      this.missing[i] = 0;
    }
  }

  on(channel: number): boolean {
    return channel < this.nChannels && this.data[channel] !== 0;
  }

  /** `recording_record`: append, or drop and flag the channel as missing data when it is full. */
  record(channel: number, bytes: Uint8Array): boolean {
    if (channel >= this.nChannels || this.data[channel] === 0) return false;
    const n = bytes.length;
    if (this.left[channel]! >= n) {
      this.api.write(this.write[channel]!, bytes);
      this.write[channel] += n;
      this.left[channel] -= n;
      return true;
    }
    this.missing[channel] = 1;
    return false;
  }

  /** `recording_finalise`: write size and missing back into the region. */
  finalise(): void {
    for (let i = 0; i < this.nChannels; i++) {
      if (this.data[i] === 0) continue;
      const size = this.write[i]! - this.data[i]!;
      this.api.writeU32(this.header + 4 + 12 * i + 4, (size | (this.missing[i] ? 0x80000000 : 0)) >>> 0);
    }
  }

  /** Bytes recorded so far in this run. */
  recorded(channel: number): number {
    return this.data[channel] ? this.write[channel]! - this.data[channel]! : 0;
  }
}

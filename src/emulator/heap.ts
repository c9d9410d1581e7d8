import type { ChipMemory } from './memory.js';

/**
 * SARK's heap allocator (sark/sark_alloc.c), operating on the heap_t and
 * block_t structures in emulated memory so that tools walking the heap see
 * exactly what they would on a board.
 *
 * heap_t:  free, first, last, free_bytes (4 words)
 * block_t: next, free (2 words); user pointer = block + 8.
 * Allocated block: free = 0xFFFF0000 | app_id << 8 | tag.
 */
export const ALLOC_LOCK = 1;
export const ALLOC_ID = 2;
export const ALLOC_TAG_RETRY = 4;

const HEAP_FREE = 0;
const HEAP_FIRST = 4;
const HEAP_LAST = 8;
const HEAP_FREE_BYTES = 12;
const BLOCK_SIZE = 8;
/** Heap walks give up after this many steps: a host may have scribbled over the heap. */
const MAX_STEPS = 1 << 20;

export class HeapCorrupt extends Error {
  constructor(heap: number) {
    super(`heap at 0x${(heap >>> 0).toString(16)} is corrupt (a block list does not end); it was overwritten by a WRITE or FILL`);
    this.name = 'HeapCorrupt';
  }
}

function step(n: number, heap: number): number {
  if (n > MAX_STEPS) throw new HeapCorrupt(heap);
  return n + 1;
}

export function heapInit(mem: ChipMemory, base: number, top: number): number {
  const first = base + 16;
  const last = top - BLOCK_SIZE;
  mem.writeU32(base + HEAP_FREE, first);
  mem.writeU32(base + HEAP_FIRST, first);
  mem.writeU32(base + HEAP_LAST, last);
  mem.writeU32(first, last);
  mem.writeU32(base + HEAP_FREE_BYTES, last - first - BLOCK_SIZE);
  mem.writeU32(last, 0);
  mem.writeU32(first + 4, 0);
  mem.writeU32(last + 4, 0);
  return base;
}

/**
 * sark_xalloc. `allocTag` is the address of sv->alloc_tag (0 when the table
 * does not exist yet, as during sdram_init). Returns the user pointer or 0.
 */
export function heapAlloc(mem: ChipMemory, heap: number, size: number, tag: number, appId: number, flag: number, allocTag: number): number {
  size = size >>> 0;
  if (size === 0 || tag > 255) return 0;
  const entry = ((appId & 255) << 8) + tag;
  if (tag !== 0 && allocTag !== 0) {
    const existing = mem.readU32(allocTag + 4 * entry);
    if (existing !== 0) {
      if (flag & ALLOC_TAG_RETRY) {
        const block = existing - BLOCK_SIZE;
        const allocSize = (mem.readU32(block) - block - BLOCK_SIZE) >>> 0;
        if (size === allocSize) return existing;
      }
      return 0;
    }
  }
  size = ((((size + 3) & ~3) >>> 0) + BLOCK_SIZE) >>> 0;
  let prev = 0;
  let freeBlk = mem.readU32(heap + HEAP_FREE);
  let n = 0;
  while (freeBlk !== 0) {
    n = step(n, heap);
    const nextBlk = mem.readU32(freeBlk);
    const newBlk = (freeBlk + size) >>> 0;
    if (newBlk <= freeBlk) break; // request way too big (address wrapped)
    if (newBlk > nextBlk) {
      prev = freeBlk;
      freeBlk = mem.readU32(freeBlk + 4);
      continue;
    }
    if (newBlk + BLOCK_SIZE < nextBlk) {
      mem.writeU32(newBlk, nextBlk);
      mem.writeU32(freeBlk, newBlk);
      mem.writeU32(newBlk + 4, mem.readU32(freeBlk + 4));
      mem.writeU32(freeBlk + 4, newBlk);
    }
    const after = mem.readU32(freeBlk + 4);
    if (prev) mem.writeU32(prev + 4, after);
    else mem.writeU32(heap + HEAP_FREE, after);
    mem.writeU32(heap + HEAP_FREE_BYTES, mem.readU32(heap + HEAP_FREE_BYTES) - size);
    mem.writeU32(freeBlk + 4, (0xffff0000 + entry) >>> 0);
    if (tag !== 0 && allocTag !== 0) mem.writeU32(allocTag + 4 * entry, freeBlk + BLOCK_SIZE);
    return freeBlk + BLOCK_SIZE;
  }
  return 0;
}

/** sark_xfree. The caller makes sure `ptr` is a block of this heap (SARK trusts it blindly). */
export function heapFree(mem: ChipMemory, heap: number, ptr: number, allocTag: number): void {
  const block = ptr - BLOCK_SIZE;
  let prev = 0;
  let next = mem.readU32(heap + HEAP_FREE);
  const entry = mem.readU32(block + 4) & 0xffff;
  if ((entry & 255) !== 0 && allocTag !== 0) mem.writeU32(allocTag + 4 * entry, 0);
  const blockNext = mem.readU32(block);
  mem.writeU32(heap + HEAP_FREE_BYTES, mem.readU32(heap + HEAP_FREE_BYTES) + blockNext - block);
  let n = 0;
  while (next !== 0) {
    n = step(n, heap);
    if (block < next) break;
    prev = next;
    next = mem.readU32(next + 4);
  }
  mem.writeU32(block + 4, next);
  if (prev) mem.writeU32(prev + 4, block);
  else mem.writeU32(heap + HEAP_FREE, block);
  if (next !== 0 && mem.readU32(block) === next) {
    mem.writeU32(block, mem.readU32(next));
    mem.writeU32(block + 4, mem.readU32(next + 4));
  }
  if (prev !== 0 && mem.readU32(prev) === block) {
    mem.writeU32(prev, mem.readU32(block));
    mem.writeU32(prev + 4, mem.readU32(block + 4));
  }
}

/** sark_xfree_id: frees every block of app_id; returns the count. */
export function heapFreeId(mem: ChipMemory, heap: number, appId: number, allocTag: number): number {
  let block = mem.readU32(heap + HEAP_FIRST);
  let count = 0;
  let n = 0;
  while (mem.readU32(block) !== 0) {
    n = step(n, heap);
    const blockId = (mem.readU32(block + 4) >>> 8) & 255;
    const isAllocated = mem.readU32(block + 4) >>> 16 === 0xffff;
    // SARK tests only the id byte; a free block's `free` pointer could alias
    // an id, so we also require the allocated marker to avoid double frees.
    if (isAllocated && appId === blockId) {
      heapFree(mem, heap, block + BLOCK_SIZE, allocTag);
      count++;
    }
    block = mem.readU32(block);
  }
  return count;
}

/** sark_heap_max: the largest free block. */
export function heapMax(mem: ChipMemory, heap: number): number {
  let p = mem.readU32(heap + HEAP_FREE);
  let max = 0;
  let n = 0;
  while (p !== 0) {
    n = step(n, heap);
    const next = mem.readU32(p);
    if (next !== 0) {
      const free = next - p - BLOCK_SIZE;
      if (free > max) max = free;
    }
    p = mem.readU32(p + 4);
  }
  return max;
}

export function heapFreeBytes(mem: ChipMemory, heap: number): number {
  return mem.readU32(heap + HEAP_FREE_BYTES);
}

/** True if `ptr` is the user pointer of an allocated block of this heap. */
export function heapOwns(mem: ChipMemory, heap: number, ptr: number): boolean {
  let block = mem.readU32(heap + HEAP_FIRST);
  let n = 0;
  while (block !== 0 && mem.readU32(block) !== 0) {
    n = step(n, heap);
    if (block + BLOCK_SIZE === ptr) return mem.readU32(block + 4) >>> 16 === 0xffff;
    block = mem.readU32(block);
  }
  return false;
}

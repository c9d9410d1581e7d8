import { ALLOC_TAG_RETRY } from '../protocol/alloc.js';
import { allocatedBlockWord, allocTagIndex, blockHeader, blockState, heapRoot } from '../protocol/memory.js';
import type { ChipMemory } from './memory.js';

/**
 * SARK's heap allocator (sark/sark_alloc.c), operating on the heap_t and
 * block_t structures (src/protocol/memory.ts) in emulated memory so that
 * tools walking the heap see exactly what they would on a board. The user
 * pointer of a block is block + 8; an allocated block's `free` word is
 * allocatedBlockWord(app_id, tag).
 */
export const ALLOC_LOCK = 1;
export const ALLOC_ID = 2;
export { ALLOC_TAG_RETRY };

const HEAP_FREE = heapRoot.offsetOf('free');
const HEAP_FIRST = heapRoot.offsetOf('first');
const HEAP_FREE_BYTES = heapRoot.offsetOf('free_bytes');
const BLOCK_NEXT = blockHeader.offsetOf('next');
const BLOCK_FREE = blockHeader.offsetOf('free');
const BLOCK_SIZE = blockHeader.size;
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

/** sark_heap_init: one free block from just after the heap_t to an end marker block at `top`. */
export function heapInit(mem: ChipMemory, base: number, top: number): number {
  const first = base + heapRoot.size;
  const last = (top - BLOCK_SIZE) >>> 0;
  mem.write(base, heapRoot.encode({ free: first, first, last, free_bytes: (last - first - BLOCK_SIZE) >>> 0 }));
  mem.write(first, blockHeader.encode({ next: last, free: 0 }));
  mem.write(last, blockHeader.encode({ next: 0, free: 0 }));
  return base;
}

const next = (mem: ChipMemory, block: number) => mem.readU32(block + BLOCK_NEXT);
const freeWord = (mem: ChipMemory, block: number) => mem.readU32(block + BLOCK_FREE);

/**
 * sark_xalloc. `allocTag` is the address of sv->alloc_tag (0 when the table
 * does not exist yet, as during sdram_init). Returns the user pointer or 0.
 */
export function heapAlloc(mem: ChipMemory, heap: number, size: number, tag: number, appId: number, flag: number, allocTag: number): number {
  size = size >>> 0;
  if (size === 0 || tag > 255) return 0;
  const entry = allocTagIndex(appId, tag);
  if (tag !== 0 && allocTag !== 0) {
    const existing = mem.readU32(allocTag + 4 * entry);
    if (existing !== 0) {
      if (flag & ALLOC_TAG_RETRY) {
        const block = existing - BLOCK_SIZE;
        const allocSize = (next(mem, block) - block - BLOCK_SIZE) >>> 0;
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
    const nextBlk = next(mem, freeBlk);
    const newBlk = (freeBlk + size) >>> 0;
    if (newBlk <= freeBlk) break; // request way too big (address wrapped)
    if (newBlk > nextBlk) {
      prev = freeBlk;
      freeBlk = freeWord(mem, freeBlk);
      continue;
    }
    if (newBlk + BLOCK_SIZE < nextBlk) {
      // Split: the tail becomes a free block that takes this block's place in the free list.
      mem.write(newBlk, blockHeader.encode({ next: nextBlk, free: freeWord(mem, freeBlk) }));
      mem.write(freeBlk, blockHeader.encode({ next: newBlk, free: newBlk }));
    }
    const after = freeWord(mem, freeBlk);
    if (prev) mem.writeU32(prev + BLOCK_FREE, after);
    else mem.writeU32(heap + HEAP_FREE, after);
    mem.writeU32(heap + HEAP_FREE_BYTES, mem.readU32(heap + HEAP_FREE_BYTES) - size);
    mem.writeU32(freeBlk + BLOCK_FREE, allocatedBlockWord(appId & 255, tag));
    if (tag !== 0 && allocTag !== 0) mem.writeU32(allocTag + 4 * entry, freeBlk + BLOCK_SIZE);
    return freeBlk + BLOCK_SIZE;
  }
  return 0;
}

/** sark_xfree. The caller makes sure `ptr` is a block of this heap (SARK trusts it blindly). */
export function heapFree(mem: ChipMemory, heap: number, ptr: number, allocTag: number): void {
  const block = ptr - BLOCK_SIZE;
  let prev = 0;
  let after = mem.readU32(heap + HEAP_FREE);
  const entry = freeWord(mem, block) & 0xffff; // allocTagIndex(app_id, tag) of an allocated block
  if ((entry & 255) !== 0 && allocTag !== 0) mem.writeU32(allocTag + 4 * entry, 0);
  mem.writeU32(heap + HEAP_FREE_BYTES, mem.readU32(heap + HEAP_FREE_BYTES) + next(mem, block) - block);
  let n = 0;
  while (after !== 0) {
    n = step(n, heap);
    if (block < after) break;
    prev = after;
    after = freeWord(mem, after);
  }
  mem.writeU32(block + BLOCK_FREE, after);
  if (prev) mem.writeU32(prev + BLOCK_FREE, block);
  else mem.writeU32(heap + HEAP_FREE, block);
  // Merge with the following and the preceding free block where they touch.
  if (after !== 0 && next(mem, block) === after) mem.write(block, mem.read(after, BLOCK_SIZE));
  if (prev !== 0 && next(mem, prev) === block) mem.write(prev, mem.read(block, BLOCK_SIZE));
}

/** sark_xfree_id: frees every block of app_id; returns the count. */
export function heapFreeId(mem: ChipMemory, heap: number, appId: number, allocTag: number): number {
  let block = mem.readU32(heap + HEAP_FIRST);
  let count = 0;
  let n = 0;
  while (next(mem, block) !== 0) {
    n = step(n, heap);
    const state = blockState(freeWord(mem, block));
    // SARK tests only the id byte; a free block's `free` pointer could alias
    // an id, so we also require the allocated marker to avoid double frees.
    if (state.allocated && state.appId === appId) {
      heapFree(mem, heap, block + BLOCK_SIZE, allocTag);
      count++;
    }
    block = next(mem, block);
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
    const end = next(mem, p);
    if (end !== 0) {
      const free = end - p - BLOCK_SIZE;
      if (free > max) max = free;
    }
    p = freeWord(mem, p);
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
  while (block !== 0 && next(mem, block) !== 0) {
    n = step(n, heap);
    if (block + BLOCK_SIZE === ptr) return blockState(freeWord(mem, block)).allocated;
    block = next(mem, block);
  }
  return false;
}

import { UserError } from './board.js';

/** An integer from decimal or 0x-hex text. */
export function parseInteger(text: string, what: string, min = 0, max = 0xffffffff): number {
  const t = text.trim().replace(/_/g, '');
  const v = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new UserError(`${what} must be an integer ${min}..${max === 0xffffffff ? '0xffffffff' : max} (decimal or 0x hex), got "${text}"`);
  }
  return v;
}

/** "x,y" → chip coordinates. */
export function parseChip(text: string): { x: number; y: number } {
  const parts = text.split(',');
  if (parts.length !== 2) throw new UserError(`a chip is written x,y (e.g. 0,0), got "${text}"`);
  return { x: parseInteger(parts[0]!, 'chip x', 0, 255), y: parseInteger(parts[1]!, 'chip y', 0, 255) };
}

/** "x,y,p" → a core. */
export function parseCore(text: string): { x: number; y: number; p: number } {
  const parts = text.split(',');
  if (parts.length !== 3) throw new UserError(`a core is written x,y,p (e.g. 0,0,1), got "${text}"`);
  return {
    x: parseInteger(parts[0]!, 'chip x', 0, 255),
    y: parseInteger(parts[1]!, 'chip y', 0, 255),
    p: parseInteger(parts[2]!, 'core', 0, 17),
  };
}

/** Hex bytes ("de ad be ef", "0xdeadbeef", "deadbeef") → bytes. */
export function parseHexBytes(text: string): Uint8Array {
  const t = text.replace(/^0x/i, '').replace(/[\s:_-]/g, '');
  if (t.length === 0 || t.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(t)) throw new UserError(`data must be an even number of hex digits, got "${text}"`);
  return Uint8Array.from(t.match(/../g)!.map((h) => parseInt(h, 16)));
}

export const hex = (n: number, width = 8): string => `0x${(n >>> 0).toString(16).padStart(width, '0')}`;

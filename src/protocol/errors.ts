/** Raised by every decoder when the bytes do not form a valid message. */
export class DecodeError extends Error {
  constructor(
    readonly codec: string,
    message: string,
  ) {
    super(`${codec}: ${message}`);
    this.name = 'DecodeError';
  }
}

export function requireLength(codec: string, bytes: Uint8Array, offset: number, needed: number): void {
  if (bytes.length - offset < needed) {
    throw new DecodeError(codec, `needs ${needed} bytes at offset ${offset}, got ${Math.max(0, bytes.length - offset)}`);
  }
}

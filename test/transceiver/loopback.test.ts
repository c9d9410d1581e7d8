import { describe, expect, it } from 'vitest';
import { isLoopback, isLoopbackIPv4 } from '../../src/transceiver/loopback.js';

describe('loopback addresses', () => {
  it('IPv4: all of 127.0.0.0/8 as a dotted quad, nothing else', () => {
    for (const a of ['127.0.0.1', '127.0.0.2', '127.255.255.254', '127.1.2.3']) expect(isLoopbackIPv4(a)).toBe(true);
    for (const a of ['10.0.0.1', '128.0.0.1', '1.127.0.1', '127.0.0', '127.0.0.256', 'localhost', '::1', '']) expect(isLoopbackIPv4(a)).toBe(false);
  });

  it('any: adds localhost and ::1', () => {
    for (const a of ['127.0.0.1', 'localhost', '::1']) expect(isLoopback(a)).toBe(true);
    for (const a of ['10.0.0.1', '::2', 'example.org', '192.168.1.1']) expect(isLoopback(a)).toBe(false);
  });
});

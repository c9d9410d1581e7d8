import { isIP } from 'node:net';

/** True for an IPv4 address in 127.0.0.0/8, written as a dotted quad. */
export function isLoopbackIPv4(address: string): boolean {
  return isIP(address) === 4 && address.startsWith('127.');
}

/** True for any loopback address or name: 127.0.0.0/8, ::1 or localhost. */
export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || isLoopbackIPv4(address);
}

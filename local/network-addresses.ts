/**
 * Where `npm start` listens, and the addresses it is reached at. By default 127.0.0.1: this machine only.
 * `HOST` (or `--host`) listens elsewhere: `0.0.0.0` (or `::`) on every interface, so that phones and
 * virtual machines on the local network reach it at this machine's network addresses; or one address of
 * this machine.
 */
import { isIP } from 'node:net';
import { type NetworkInterfaceInfo, networkInterfaces } from 'node:os';

export const DEFAULT_HOST = '127.0.0.1';

/** Whether listening on `host` means every interface. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** Whether `host` can be reached from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** This machine's IPv4 addresses on its networks (loopback left out), in the order the system lists them. */
export function networkAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string[] {
  const addresses = Object.values(interfaces)
    .flatMap((infos) => infos ?? [])
    .filter((info) => info.family === 'IPv4' && !info.internal)
    .map((info) => info.address);
  return [...new Set(addresses)];
}

/**
 * The host names a server listening on `host` is reached at, the one to show on this machine first:
 * 127.0.0.1 and localhost for the default, those and every network address for a wildcard, else `host`.
 */
export function reachableHosts(host: string, addresses: readonly string[] = networkAddresses()): string[] {
  if (host === DEFAULT_HOST) return [DEFAULT_HOST, 'localhost'];
  if (isWildcardHost(host)) return [DEFAULT_HOST, 'localhost', ...addresses];
  return [host];
}

/** The hosts of `reachableHosts` that other devices can use. */
export function networkHosts(host: string, addresses: readonly string[] = networkAddresses()): string[] {
  return reachableHosts(host, addresses).filter((name) => !isLoopbackHost(name));
}

/** `host` as it goes in a URL (an IPv6 address in brackets). */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** `http://host:port` for each host, the origins a page served there is opened on. */
export function httpOrigins(hosts: readonly string[], port: number): string[] {
  return hosts.map((host) => `http://${urlHost(host)}:${port}`);
}

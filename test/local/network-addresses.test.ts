/**
 * Where `npm start` is reached when HOST lets other devices in: this machine's network addresses from its
 * interfaces, and the demo page's origins (which are the allowed origins by default).
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { expect, test } from '@jest/globals';
import { demoPageOrigins } from '../../local/demo-server.ts';
import { networkAddresses, networkHosts, reachableHosts } from '../../local/network-addresses.ts';

function info(address: string, family: 'IPv4' | 'IPv6', internal: boolean): NetworkInterfaceInfo {
  const common = { address, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', internal, cidr: null };
  return family === 'IPv4' ? { ...common, family } : { ...common, family, scopeid: 0 };
}

const INTERFACES = {
  lo: [info('127.0.0.1', 'IPv4', true), info('::1', 'IPv6', true)],
  wlan0: [info('192.168.1.20', 'IPv4', false), info('fe80::1', 'IPv6', false)],
  docker0: [info('172.17.0.1', 'IPv4', false)],
};

test('the network addresses are the IPv4 addresses of the interfaces that are not loopback', () => {
  expect(networkAddresses(INTERFACES)).toEqual(['192.168.1.20', '172.17.0.1']);
});

test('the default host is this machine only; 0.0.0.0 adds each network address; one address is itself', () => {
  const addresses = networkAddresses(INTERFACES);
  expect(reachableHosts('127.0.0.1', addresses)).toEqual(['127.0.0.1', 'localhost']);
  expect(networkHosts('127.0.0.1', addresses)).toEqual([]);
  expect(reachableHosts('0.0.0.0', addresses)).toEqual(['127.0.0.1', 'localhost', '192.168.1.20', '172.17.0.1']);
  expect(networkHosts('::', addresses)).toEqual(['192.168.1.20', '172.17.0.1']);
  expect(networkHosts('192.168.1.20', addresses)).toEqual(['192.168.1.20']);
});

test('the demo page origins follow: with 0.0.0.0 a phone opening the page at a network address is allowed', () => {
  const addresses = networkAddresses(INTERFACES);
  expect(demoPageOrigins(3001, '127.0.0.1', addresses)).toEqual(['http://127.0.0.1:3001', 'http://localhost:3001']);
  expect(demoPageOrigins(3001, '0.0.0.0', addresses)).toEqual([
    'http://127.0.0.1:3001',
    'http://localhost:3001',
    'http://192.168.1.20:3001',
    'http://172.17.0.1:3001',
  ]);
  expect(demoPageOrigins(3001, 'fd00::2', addresses)).toEqual(['http://[fd00::2]:3001']);
});

import { describe, expect, it } from 'vitest';
import { anyAddress, publicAddressesOnly } from '../../../src/infra/http/address-policy.js';

describe('which addresses a web source may be fetched from', () => {
  it('allows public unicast addresses, IPv4 and IPv6', () => {
    for (const ip of [
      '93.184.216.34',
      '8.8.8.8',
      '2606:2800:220:1:248:1893:25c8:1946',
      '::ffff:93.184.216.34',
    ])
      expect(publicAddressesOnly(ip), ip).toBe(true);
  });

  it('refuses loopback, private, link-local, CGNAT, unspecified and multicast, however the address is written', () => {
    for (const ip of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      // IPv4-compatible (deprecated ::/96): ipaddr.js 2.5 calls these unicast.
      '::7f00:1',
      '::a00:1',
      '::a9fe:a9fe',
      // NAT64 and 6to4 carry IPv4 addresses too.
      '64:ff9b::a00:1',
      '2002:a00:1::1',
      'not an address',
    ])
      expect(publicAddressesOnly(ip), ip).toBe(false);
  });

  it('allows any valid address only where development and tests ask for it', () => {
    expect(anyAddress('127.0.0.1')).toBe(true);
    expect(anyAddress('::7f00:1')).toBe(true);
    expect(anyAddress('localhost')).toBe(false);
  });
});

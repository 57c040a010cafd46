import ipaddr from 'ipaddr.js';

/** Decides whether Lore may open a connection to an IP address it is about to fetch from. */
export type AddressPolicy = (ip: string) => boolean;

/**
 * Public unicast addresses only: no loopback, private (RFC 1918, unique-local), link-local (cloud metadata at
 * 169.254.169.254), carrier-grade NAT, multicast, reserved or unspecified ranges. IPv4-mapped IPv6 addresses
 * are judged as the IPv4 address they carry, so `::ffff:127.0.0.1` is loopback too.
 */
export const publicAddressesOnly: AddressPolicy = (ip) => {
  if (!ipaddr.isValid(ip)) return false;
  const addr = ipaddr.process(ip);
  // ipaddr.js 2.5 calls the deprecated IPv4-compatible range ::/96 (`::7f00:1`, i.e. `[::127.0.0.1]`)
  // unicast (upstream PR #203, unreleased); a host may route it to the IPv4 address it carries. Never public.
  if (addr.kind() === 'ipv6' && addr.match(IPV4_COMPATIBLE)) return false;
  return addr.range() === 'unicast';
};

const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/** Development and tests only (WEB_FETCH_ALLOW_PRIVATE): any address, local servers included. */
export const anyAddress: AddressPolicy = (ip) => ipaddr.isValid(ip);

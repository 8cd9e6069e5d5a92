import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { message, render, type Message } from '../messages/message';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses; injectable so that tests can stub DNS. */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: HostLookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/** Why a host was refused; says nothing of whether anything listens there. */
export class MailHostRefusedError extends Error {
  constructor(
    readonly host: string,
    readonly reason: 'non-public' | 'unresolvable',
  ) {
    super(render(reason === 'non-public' ? 'mail_host_private' : 'mail_host_unresolvable', { host }));
    this.name = 'MailHostRefusedError';
  }

  get detail(): Message {
    return message(this.reason === 'non-public' ? 'mail_host_private' : 'mail_host_unresolvable', { host: this.host });
  }
}

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this" network, unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64 can reach IPv4 private space
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 wraps arbitrary IPv4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local
  ['ff00::', 8], // multicast
  ['fd00:ec2::254', 128], // AWS metadata over IPv6 (inside fc00::/7, named for clarity)
] as const)
  blocked.addSubnet(network, prefix, 'ipv6');

/** Whether the address is on the public internet (not loopback, private, link-local, CGNAT, multicast, metadata…). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return !blocked.check(address, 'ipv4');
  const mapped = embeddedIPv4(address);
  if (mapped) return isPublicAddress(mapped);
  return !blocked.check(address, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped or IPv4-compatible IPv6 address (::ffff:a.b.c.d, ::a.b.c.d). */
function embeddedIPv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^::(?:ffff:(?:0:)?)?(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^::(?:ffff:(?:0:)?)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return undefined;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * Resolves the host once and checks every address it resolves to. Callers connect to the
 * returned address (keeping the name for TLS), so a DNS answer that changes between the check
 * and the connect (rebinding) cannot lead elsewhere.
 */
export async function resolveMailHost(host: string, options: { allowPrivate: boolean; lookup?: HostLookup }): Promise<ResolvedAddress> {
  let addresses: ResolvedAddress[];
  try {
    addresses = await (options.lookup ?? systemLookup)(host.replace(/^\[|\]$/g, ''));
  } catch {
    throw new MailHostRefusedError(host, 'unresolvable');
  }
  if (addresses.length === 0) throw new MailHostRefusedError(host, 'unresolvable');
  if (!options.allowPrivate && addresses.some((candidate) => !isPublicAddress(candidate.address))) {
    throw new MailHostRefusedError(host, 'non-public');
  }
  return addresses[0]!;
}

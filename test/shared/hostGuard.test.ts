import { describe, expect, it } from 'vitest';
import { isPublicAddress, MailHostRefusedError, resolveMailHost, type HostLookup } from '../../src/shared/net/hostGuard';

const stub =
  (table: Record<string, string[]>): HostLookup =>
  async (host) => {
    const addresses = table[host];
    if (!addresses) throw new Error('ENOTFOUND');
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('host guard', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '0.0.0.0',
    '::',
    '169.254.169.254',
    '10.1.2.3',
    '172.16.5.4',
    '192.168.1.1',
    '100.64.0.1',
    '224.0.0.1',
    '255.255.255.255',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    'ff02::1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
  ])('treats %s as non-public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['212.227.17.190', '8.8.8.8', '2a00:1450:4001:82b::2005', '::ffff:8.8.8.8'])('treats %s as public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each(['127.0.0.1', '::1', '::ffff:127.0.0.1', '2130706433', '0.0.0.0', '169.254.169.254', '10.1.2.3', '192.168.1.1', 'localhost'])(
    'refuses %s through the system resolver unless private hosts are allowed',
    async (host) => {
      await expect(resolveMailHost(host, { allowPrivate: false })).rejects.toMatchObject({ reason: 'non-public' });
      await expect(resolveMailHost(host, { allowPrivate: true })).resolves.toMatchObject({ address: expect.any(String) });
    },
  );

  it('refuses a name that resolves to loopback, and one with any private address among public ones', async () => {
    const lookup = stub({ 'rebind.example.ch': ['127.0.0.1'], 'mixed.example.ch': ['212.227.17.190', '10.0.0.5'], 'mail.example.ch': ['212.227.17.190'] });
    await expect(resolveMailHost('rebind.example.ch', { allowPrivate: false, lookup })).rejects.toBeInstanceOf(MailHostRefusedError);
    await expect(resolveMailHost('mixed.example.ch', { allowPrivate: false, lookup })).rejects.toMatchObject({ reason: 'non-public' });
    await expect(resolveMailHost('mail.example.ch', { allowPrivate: false, lookup })).resolves.toEqual({ address: '212.227.17.190', family: 4 });
  });

  it('says the same for a refused host whatever listens there, and names unresolvable hosts', async () => {
    const refused = String(await resolveMailHost('127.0.0.1', { allowPrivate: false }).catch((error: Error) => error.message));
    const refusedOtherPort = String(await resolveMailHost('127.0.0.2', { allowPrivate: false }).catch((error: Error) => error.message));
    expect(refused).toBe(refusedOtherPort.replace('127.0.0.2', '127.0.0.1'));
    expect(refused).not.toMatch(/ECONNREFUSED|open|closed|port/i);
    await expect(resolveMailHost('nothing.invalid', { allowPrivate: false, lookup: stub({}) })).rejects.toMatchObject({ reason: 'unresolvable' });
  });
});

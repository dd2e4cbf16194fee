import { checkTarget, checkTargetSyntax, isBlockedAddress } from './target-guard.js';

const open = { allowHosts: [] as string[], requireHttps: false };

describe('isBlockedAddress: no tenant reaches the server’s own network', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback /8'],
    ['10.1.2.3', 'private 10/8'],
    ['172.16.0.1', 'private 172.16/12'],
    ['172.31.255.255', 'private 172.16/12, last address'],
    ['192.168.1.1', 'private 192.168/16'],
    ['169.254.169.254', 'cloud metadata (link-local)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'this network'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fd00::1', 'IPv6 unique local'],
    ['fe80::1', 'IPv6 link-local'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback in hex'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata in hex'],
    ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
    ['2002:7f00:1::', '6to4 of 127.0.0.1'],
    ['not-an-ip', 'not an address'],
  ])('%s is refused (%s)', (ip) => expect(isBlockedAddress(ip)).toBe(true));

  it.each([['93.184.216.34'], ['8.8.8.8'], ['172.32.0.1'], ['100.128.0.1'], ['2606:4700:4700::1111'], ['::ffff:8.8.8.8']])('%s (public) is allowed', (ip) =>
    expect(isBlockedAddress(ip)).toBe(false),
  );
});

describe('checkTarget', () => {
  const resolvesTo = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('refuses a name when any address it resolves to is private (one bad A record is enough)', async () => {
    expect(await checkTarget('https://hooks.example.com/x', open, resolvesTo('93.184.216.34', '10.0.0.5'))).toEqual({
      ok: false,
      reason: 'url host hooks.example.com resolves to a private, loopback or reserved address',
    });
  });

  it('accepts a name that resolves only to public addresses', async () => {
    expect(await checkTarget('https://hooks.example.com/x', open, resolvesTo('93.184.216.34'))).toEqual({ ok: true });
  });

  it('refuses a name that does not resolve', async () => {
    const fails = async () => {
      throw new Error('ENOTFOUND');
    };
    expect(await checkTarget('https://nowhere.example/x', open, fails)).toMatchObject({ ok: false, reason: 'url host nowhere.example does not resolve' });
  });

  it.each([
    ['http://127.0.0.1:3999/ssrf', 'url host 127.0.0.1 is a private, loopback or reserved address'],
    ['http://[::1]/x', 'url host ::1 is a private, loopback or reserved address'],
    ['http://169.254.169.254/latest/meta-data', 'url host 169.254.169.254 is a private, loopback or reserved address'],
    ['http://localhost:8080/', 'url host localhost is a private name'],
    ['http://metadata.google.internal/', 'url host metadata.google.internal is a private name'],
    ['https://user:pw@hooks.example.com/', 'url must not carry credentials'],
    ['ftp://hooks.example.com/', 'url must be http(s)'],
  ])('%s is refused before any lookup: %s', (url, reason) => {
    expect(checkTargetSyntax(url, open)).toEqual({ ok: false, reason });
  });

  it('a Slack incoming-webhook URL passes the production policy (https, public addresses)', async () => {
    const prod = { allowHosts: [] as string[], requireHttps: true };
    const url = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
    expect(checkTargetSyntax(url, prod)).toEqual({ ok: true });
    expect(await checkTarget(url, prod, resolvesTo('34.226.36.42', '54.90.190.87'))).toEqual({ ok: true });
    expect(checkTargetSyntax(url.replace('https:', 'http:'), prod)).toEqual({ ok: false, reason: 'url must use https' });
  });

  it('production requires https', () => {
    expect(checkTargetSyntax('http://hooks.example.com/', { allowHosts: [], requireHttps: true })).toEqual({ ok: false, reason: 'url must use https' });
  });

  it('an operator allow-list exempts its hosts (internal receivers, tests)', async () => {
    expect(await checkTarget('http://127.0.0.1:3999/hook', { allowHosts: ['127.0.0.1'], requireHttps: false })).toEqual({ ok: true });
  });
});

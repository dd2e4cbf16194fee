import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/*
 * Webhook URLs are chosen by tenants, and anyone can sign up: a URL pointing at
 * 127.0.0.1, 10.x or 169.254.169.254 would make the server call its own
 * network on a tenant's behalf (SSRF), and the delivery log's status codes
 * would turn it into a port scanner. So every target is checked twice: at
 * registration (name resolved, every address checked) and at each delivery,
 * inside the connection's own DNS lookup, so a name that re-resolves to a
 * private address later (DNS rebinding) is refused at connect time.
 */

/** Address ranges no tenant may reach: RFC 6890 special-purpose blocks, IPv4 and IPv6. */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
  ['100::', 64], // discard
] as const) BLOCKED.addSubnet(net, prefix, 'ipv6');

/** IPv4 embedded in an IPv6 address (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16), or null. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const words = expandIpv6(lower);
  if (words === null) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  // ::ffff:0:0/96 written in hex, and NAT64 64:ff9b::/96
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) return v4(words[6]!, words[7]!);
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0)) return v4(words[6]!, words[7]!);
  if (words[0] === 0x2002) return v4(words[1]!, words[2]!);
  return null;
}

/** The eight 16-bit words of an IPv6 address, or null when it is not one. */
function expandIpv6(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail[1]!.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -tail[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((h) => parseInt(h, 16)) : []);
  const h = part(head);
  const r = part(rest);
  const words = rest === undefined ? h : [...h, ...new Array<number>(8 - h.length - r.length).fill(0), ...r];
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : null;
}

/** True when an IP address (v4 or v6) lies in a private, loopback, link-local, CGNAT, metadata or otherwise special range. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (BLOCKED.check(address, 'ipv6')) return true;
  const v4 = embeddedIpv4(address);
  return v4 !== null && BLOCKED.check(v4, 'ipv4');
}

export interface TargetPolicy {
  /** Hostnames or IP literals (lower case) exempt from the address check: an operator's private receivers, or tests. */
  allowHosts: readonly string[];
  /** Refuse plain http (production). */
  requireHttps: boolean;
}

export type TargetCheck = { ok: true } | { ok: false; reason: string };

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Whether the URL's scheme and host are acceptable before any lookup (no I/O). */
export function checkTargetSyntax(raw: string, policy: TargetPolicy): TargetCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'url is not a valid URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'url must be http(s)' };
  if (policy.requireHttps && url.protocol !== 'https:') return { ok: false, reason: 'url must use https' };
  if (url.username || url.password) return { ok: false, reason: 'url must not carry credentials' };
  const host = hostOf(url);
  if (policy.allowHosts.includes(host)) return { ok: true };
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local')) {
    return { ok: false, reason: `url host ${host} is a private name` };
  }
  if (isIP(host) !== 0 && isBlockedAddress(host)) return { ok: false, reason: `url host ${host} is a private, loopback or reserved address` };
  return { ok: true };
}

type LookupAll = (host: string) => Promise<{ address: string; family: number }[]>;

const systemLookupAll: LookupAll = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

/** Full check at registration: syntax, then every address the name resolves to (network I/O: DNS). */
export async function checkTarget(raw: string, policy: TargetPolicy, lookupAll: LookupAll = systemLookupAll): Promise<TargetCheck> {
  const syntax = checkTargetSyntax(raw, policy);
  if (!syntax.ok) return syntax;
  const host = hostOf(new URL(raw));
  if (policy.allowHosts.includes(host) || isIP(host) !== 0) return { ok: true };
  let addresses: { address: string }[];
  try {
    addresses = await lookupAll(host);
  } catch {
    return { ok: false, reason: `url host ${host} does not resolve` };
  }
  if (addresses.length === 0) return { ok: false, reason: `url host ${host} does not resolve` };
  const bad = addresses.find((a) => isBlockedAddress(a.address));
  return bad ? { ok: false, reason: `url host ${host} resolves to a private, loopback or reserved address` } : { ok: true };
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | { address: string; family: number }[], family?: number) => void;

/**
 * A `lookup` for http(s).request that refuses blocked addresses at connect
 * time (the DNS-rebinding guard): the socket only ever connects to an
 * address this function returned.
 */
export function guardedLookup(policy: TargetPolicy) {
  return (hostname: string, options: { all?: boolean } & Record<string, unknown>, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, options.all ? [] : '', undefined);
      const allowed = policy.allowHosts.includes(hostname.toLowerCase());
      const ok = allowed ? addresses : addresses.filter((a) => !isBlockedAddress(a.address));
      if (ok.length === 0) {
        const e: NodeJS.ErrnoException = new Error(`refused: ${hostname} resolves to a private, loopback or reserved address`);
        e.code = 'EADDRNOTAVAIL';
        return callback(e, options.all ? [] : '', undefined);
      }
      if (options.all) return callback(null, ok);
      callback(null, ok[0]!.address, ok[0]!.family);
    });
  };
}

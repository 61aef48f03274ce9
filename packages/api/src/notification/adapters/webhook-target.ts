import dns, { type LookupAddress, type LookupOptions } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { setting } from "../../platform/config.js";

/**
 * Webhook URLs come from users, and the notification process sends requests to them: without a
 * guard, anyone could make it call our own network (Postgres, NATS, the metrics ports, a cloud
 * metadata endpoint). Only public addresses are allowed. Literal addresses and local names are
 * refused on registration; a name is resolved on registration too (a quick answer to the user),
 * but what counts is the address each send connects to: the sender's HTTP agent resolves through
 * `publicOnlyLookup`, so a name that pointed somewhere public when it was checked and somewhere
 * private when it is used (DNS rebinding) is refused at connect time, with no second lookup.
 * WEBHOOK_ALLOW_PRIVATE=1 lifts the guard for local development and tests.
 */
export const privateTargetsAllowed = () => setting("WEBHOOK_ALLOW_PRIVATE") === "1";

/** A target the guard refuses: final for a delivery (trying again would only knock again). */
export class TargetRefused extends Error {
  override name = "TargetRefused";
  constructor(readonly reason: string) {
    super(`webhook target refused: ${reason}`);
  }
}

/** The only IPv6 block handed out for global unicast: anything outside it is special-purpose. */
const globalUnicast = ipaddr.IPv6.parseCIDR("2000::/3");
/** NAT64's well-known prefix (RFC 6052): the gateway connects to the IPv4 address in the last 32 bits. */
const nat64WellKnown = ipaddr.IPv6.parseCIDR("64:ff9b::/96");

/**
 * True when the address is one a webhook may be sent to. Classification is ipaddr.js's: an IPv4
 * address must be in none of its special ranges (private, loopback, link-local, carrier-grade
 * NAT, benchmarking, documentation, reserved, multicast, broadcast…). An IPv6 address must be
 * global unicast (2000::/3) and in none of its special ranges — which refuses 6to4 (2002::/16)
 * and Teredo (2001::/32), both carrying IPv4 addresses a relay would reach, the local-use NAT64
 * prefix 64:ff9b:1::/48, IPv4-compatible `::a.b.c.d`, site-local fec0::/10 and unique-local.
 * IPv4-mapped `::ffff:a.b.c.d` and the well-known NAT64 prefix are judged by the IPv4 address
 * they carry: that is the host reached.
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const ip = ipaddr.parse(family === 6 ? hexTail(address) : address);
  if (ip.kind() === "ipv4") return ip.range() === "unicast";
  const v6 = ip as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return isPublicAddress(v6.toIPv4Address().toString());
  if (v6.match(nat64WellKnown)) {
    return isPublicAddress(ipaddr.fromByteArray(v6.toByteArray().slice(12)).toString());
  }
  return v6.match(globalUnicast) && v6.range() === "unicast";
}

/**
 * `::a.b.c.d` → `::hhhh:hhhh`. ipaddr.js reads the dotted form `::a.b.c.d` as IPv4-mapped
 * (`::ffff:a.b.c.d`); the network stack does not (it is IPv4-compatible), so the guard parses
 * what the socket would connect to.
 */
function hexTail(v6: string): string {
  return v6.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string, c: string, d: string) => {
    const [o1, o2, o3, o4] = [a, b, c, d].map(Number) as [number, number, number, number];
    return `${((o1 << 8) | o2).toString(16)}:${((o3 << 8) | o4).toString(16)}`;
  });
}

const hostOf = (url: string) => new URL(url).hostname.replace(/^\[|\]$/g, "").toLowerCase();
const localNames = /(^|\.)(localhost|local|internal|localdomain)$/;

/** Why this URL may not be used, judged without resolving its name; null when it may. */
export function refusedTarget(url: string): string | null {
  if (privateTargetsAllowed()) return null;
  const host = hostOf(url);
  if (isIP(host)) return isPublicAddress(host) ? null : "the address is not a public one";
  if (localNames.test(host) || !host.includes(".")) return "the host is not a public name";
  return null;
}

type Resolve = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** The system resolver, looked up at each call (so a process-wide resolver replacement applies). */
const systemResolve: Resolve = (hostname, options, callback) => dns.lookup(hostname, options, callback);

/**
 * A `lookup` for node's net/http: resolves like `dns.lookup`, and fails with TargetRefused when
 * any address the name resolves to is not public — the socket is never opened. Literal addresses
 * skip lookups in node, so the sender judges them with `refusedTarget` first.
 */
export function publicOnlyLookup(resolve: Resolve = systemResolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      const bad = addresses.find((a) => !isPublicAddress(a.address));
      if (bad) return callback(new TargetRefused(`${hostname} resolves to ${bad.address}`), "", 0);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Registration's check: the URL's literal address or name, and what the name resolves to now.
 * A name that does not resolve (yet), or not within `withinMs`, is let through: every send
 * judges the address it connects to anyway.
 */
export async function refusedOnRegistration(url: string, withinMs = 2_000): Promise<string | null> {
  const reason = refusedTarget(url);
  if (reason || privateTargetsAllowed() || isIP(hostOf(url))) return reason;
  const lookup = publicOnlyLookup();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), withinMs);
    lookup(hostOf(url), { all: true }, (err) => {
      clearTimeout(timer);
      resolve(err instanceof TargetRefused ? err.reason : null);
    });
  });
}

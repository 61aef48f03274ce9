import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * Webhook URLs come from users, and the notification process sends requests to them: without a
 * guard, anyone could make it call our own network (Postgres, NATS, the metrics ports, a cloud
 * metadata endpoint). Only public addresses are allowed — checked on registration for literal
 * addresses and names like `localhost`, and again right before every send on the addresses the
 * name resolves to then (a name may point somewhere else by the time it is used).
 * WEBHOOK_ALLOW_PRIVATE=1 lifts the guard for local development and tests.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const)
  blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96], // NAT64
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const)
  blocked.addSubnet(net, prefix, "ipv6");

export const privateTargetsAllowed = () => process.env.WEBHOOK_ALLOW_PRIVATE === "1";

/** True when the address is one a webhook may be sent to. */
export function isPublicAddress(address: string): boolean {
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPublicAddress(mapped);
  const family = isIP(address);
  if (family === 0) return false;
  return !blocked.check(address, family === 4 ? "ipv4" : "ipv6");
}

const hostOf = (url: string) => new URL(url).hostname.replace(/^\[|\]$/g, "").toLowerCase();
const localNames = /(^|\.)(localhost|local|internal|localdomain)$/;

/** Why this URL may not be registered, or null. Names are resolved only when sending. */
export function refusedTarget(url: string): string | null {
  if (privateTargetsAllowed()) return null;
  const host = hostOf(url);
  if (isIP(host)) return isPublicAddress(host) ? null : "the address is not a public one";
  if (localNames.test(host) || !host.includes(".")) return "the host is not a public name";
  return null;
}

/** Throws when the URL's host resolves (now) to any address that is not public. */
export async function assertPublicTarget(url: string): Promise<void> {
  const reason = refusedTarget(url);
  if (reason) throw new Error(`webhook target refused: ${reason}`);
  const host = hostOf(url);
  if (privateTargetsAllowed() || isIP(host)) return; // a literal address was judged just above
  const addresses = await lookup(host, { all: true, verbatim: true });
  const bad = addresses.find((a) => !isPublicAddress(a.address));
  if (bad) throw new Error(`webhook target refused: ${host} resolves to ${bad.address}`);
}

import type { IncomingMessage } from "node:http";
import { isIP, type BlockList } from "node:net";
import { trusted } from "./proxies.js";

/**
 * The caller's IP for per-IP limits. The socket peer, unless that peer is a trusted proxy (the
 * Next apps' /trpc proxy, a load balancer): then X-Forwarded-For, read from the right, skipping
 * further trusted hops; entries left of the first untrusted one could be made up by the client.
 */
export function clientIp(req: IncomingMessage, proxies: BlockList): string | null {
  let ip = req.socket.remoteAddress ?? null;
  if (!trusted(proxies, ip)) return ip;
  const header = req.headers["x-forwarded-for"];
  const hops = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (!isIP(hop)) break; // garbage: keep the last address we could vouch for
    ip = hop;
    if (!trusted(proxies, hop)) break;
  }
  return ip;
}

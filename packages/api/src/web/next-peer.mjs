// Which peer a request to a Next app came from, for the /trpc proxy (proxy.ts). A Next route
// handler cannot see the socket, and the X-Forwarded-For Next hands it is the client's own when
// the client sent one. So the apps' server (serve-next.mjs) stamps every request, before Next
// sees it, with the socket's address, replacing whatever the client sent in that header; the
// stamp carries a random key of this process, so a stamp a client made up (say, under a plain
// `next start`) is not believed. Plain JavaScript: serve-next.mjs runs without a compiler.
import { randomBytes, timingSafeEqual } from "node:crypto";

export const peerHeader = "x-baedal-peer";
const keySymbol = Symbol.for("baedal.next-peer-key");

/** IPv4 clients of a dual-stack listener appear as ::ffff:a.b.c.d; the API counts them as a.b.c.d. */
const unmapped = (address) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");

/** serve-next.mjs: called on every request before Next handles it. */
export function stampPeer(req) {
  globalThis[keySymbol] ??= randomBytes(18).toString("base64url");
  const proto = req.socket.encrypted ? "https" : "http";
  req.headers[peerHeader] = `${globalThis[keySymbol]} ${proto} ${req.socket.remoteAddress ?? ""}`;
}

/**
 * proxy.ts: `{ address, proto }` of the socket the request came in on, or null when it was not
 * stamped by serve-next.mjs in this process.
 */
export function peerOf(headers) {
  const key = globalThis[keySymbol];
  const [given = "", proto, address] = (headers.get(peerHeader) ?? "").split(" ");
  if (!key || !address || (proto !== "http" && proto !== "https")) return null;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  return { address: unmapped(address), proto };
}

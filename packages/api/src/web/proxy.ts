/**
 * Same-origin API for the Next.js apps: a route handler at `app/trpc/[...path]/route.ts` forwards
 * each tRPC call to the process that runs its context (`order.place` → the order process), so
 * the browser sends its session cookie only to its own origin and streams SSE through one URL.
 * Targets are read at request time: API_URL_<CONTEXT> or API_URL (all contexts in one process).
 *
 * The API believes this proxy's X-Forwarded-For (it connects from a TRUSTED_PROXIES address), so
 * the proxy writes that header itself, from the socket the app accepted (serve-next.mjs records
 * it): a client's own X-Forwarded-For, Forwarded or X-Real-IP never reaches the API, or per-address
 * limits could be dodged with a made-up header per attempt.
 */
import type { BlockList } from "node:net";
// Through the package's exports, not a relative path: the apps' bundler does not map `.js` to `.ts`.
import { parseProxies, trusted } from "@baedal/api/security/proxies";
import { webEnv, type WebEnv } from "@baedal/api/web/config";
import { peerHeader, peerOf } from "./next-peer.mjs";

const hopByHop = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
]);
/** Who the caller is, as headers could claim it: only ever written by this proxy. */
const forwarding = new Set([
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-forwarded-port",
  "x-real-ip",
  peerHeader,
]);

export function apiBaseFor(context: string, env: WebEnv = webEnv()): string {
  return env[`API_URL_${context.toUpperCase()}`] ?? env.API_URL ?? "http://127.0.0.1:4000";
}

let proxiesCache: { raw: string; list: BlockList } | undefined;
/** APP_TRUSTED_PROXIES: peers of the app (a load balancer, an ingress) whose forwarding headers it extends; default none. */
function appTrustedProxies(env: WebEnv = webEnv()): BlockList {
  const raw = env.APP_TRUSTED_PROXIES ?? "";
  if (proxiesCache?.raw !== raw) proxiesCache = { raw, list: parseProxies(raw, "APP_TRUSTED_PROXIES") };
  return proxiesCache.list;
}

/**
 * X-Forwarded-For/-Proto/-Host for the API. From a peer in APP_TRUSTED_PROXIES the incoming
 * chain is extended with that peer; from anyone else only the peer itself counts.
 */
export function forwardedHeaders(
  peer: { address: string; proto: "http" | "https" },
  incoming: Headers,
  proxies: BlockList,
): Record<string, string> {
  const fromProxy = trusted(proxies, peer.address);
  const chain = fromProxy ? incoming.get("x-forwarded-for")?.trim() : undefined;
  return {
    "x-forwarded-for": chain ? `${chain}, ${peer.address}` : peer.address,
    "x-forwarded-proto": (fromProxy && incoming.get("x-forwarded-proto")) || peer.proto,
    "x-forwarded-host": (fromProxy && incoming.get("x-forwarded-host")) || incoming.get("host") || "",
  };
}

export async function proxyTrpc(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const path = url.pathname.replace(/^.*?\/trpc\//, "");
  const context = path.split(/[.,/]/)[0] ?? "";
  if (!/^[a-z]+$/.test(context)) return Response.json({ error: "unknown procedure" }, { status: 404 });
  const peer = peerOf(req.headers);
  if (!peer) {
    // Without serve-next.mjs in front (e.g. plain `next start`) the caller's address is unknown:
    // forwarding anyway would hand the API whatever the caller claims.
    console.error("trpc proxy: request not stamped by serve-next.mjs; start the app with it (see README)");
    return Response.json(
      { error: { message: "This app must be served by serve-next.mjs to reach the API" } },
      { status: 500 },
    );
  }
  const headers = new Headers();
  req.headers.forEach((v, k) => {
    if (!hopByHop.has(k) && !forwarding.has(k)) headers.set(k, v);
  });
  for (const [k, v] of Object.entries(forwardedHeaders(peer, req.headers, appTrustedProxies())))
    headers.set(k, v);
  const target = `${apiBaseFor(context)}/trpc/${path}${url.search}`;
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: req.method,
      headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer(),
      signal: req.signal,
      redirect: "manual",
    });
  } catch {
    return Response.json(
      { error: { message: "The service is not reachable right now, please try again in a moment" } },
      { status: 503 },
    );
  }
  const out = new Headers();
  upstream.headers.forEach((v, k) => {
    if (!hopByHop.has(k) && k !== "set-cookie" && k !== "content-encoding") out.set(k, v);
  });
  for (const c of upstream.headers.getSetCookie()) out.append("set-cookie", c);
  return new Response(upstream.body, { status: upstream.status, headers: out });
}

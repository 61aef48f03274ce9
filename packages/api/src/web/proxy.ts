/**
 * Same-origin API for the Next.js apps: a route handler at `app/trpc/[...path]/route.ts` forwards
 * each tRPC call to the process that runs its context (`order.place` → the order process), so
 * the browser sends its session cookie only to its own origin and streams SSE through one URL.
 * Targets are read at request time: API_URL_<CONTEXT> or API_URL (all contexts in one process).
 */
const hopByHop = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "host", "content-length"]);

export function apiBaseFor(context: string, env: NodeJS.ProcessEnv = process.env): string {
  return env[`API_URL_${context.toUpperCase()}`] ?? env.API_URL ?? "http://127.0.0.1:4000";
}

export async function proxyTrpc(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const path = url.pathname.replace(/^.*?\/trpc\//, "");
  const context = path.split(/[.,/]/)[0] ?? "";
  if (!/^[a-z]+$/.test(context)) return Response.json({ error: "unknown procedure" }, { status: 404 });
  const headers = new Headers();
  req.headers.forEach((v, k) => {
    if (!hopByHop.has(k)) headers.set(k, v);
  });
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

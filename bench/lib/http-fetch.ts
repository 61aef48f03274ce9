/**
 * A `fetch` for the load driver built on node:http with a keep-alive agent. Node 20's global
 * fetch costs about eight times more CPU per request than node:http on this machine, and the
 * driver shares the CPUs with the system under test: with global fetch the bench would mostly
 * measure its own client. Only what tRPC's HTTP links use is supported (method, headers, string
 * body, abort signal; the whole response buffered).
 */
import http from "node:http";

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 10_000 });

export const httpFetch: typeof fetch = (input, init) =>
  new Promise<Response>((resolve, reject) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const body = init?.body == null ? undefined : String(init.body);
    if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: init?.method ?? "GET",
        headers,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) v.forEach((x) => h.append(k, x));
            else if (v !== undefined) h.set(k, v);
          }
          resolve(
            new Response(Buffer.concat(chunks), {
              status: res.statusCode ?? 500,
              statusText: res.statusMessage ?? "",
              headers: h,
            }),
          );
        });
      },
    );
    req.on("error", reject);
    init?.signal?.addEventListener("abort", () => req.destroy(new Error("aborted")), { once: true });
    req.end(body);
  });

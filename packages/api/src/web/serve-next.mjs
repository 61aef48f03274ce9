#!/usr/bin/env node
// The Next apps' HTTP server, in place of `next start`, `next dev` and the standalone server.js:
// Next's own request handler (its documented custom-server API) behind a listener that stamps
// each request with the socket it came in on (next-peer.mjs), so the /trpc proxy (proxy.ts) can
// tell the API the caller's real address instead of an X-Forwarded-For the caller wrote.
//
//   node packages/api/src/web/serve-next.mjs [--dev] [-p PORT] [-H HOST]     (in the app's folder)
//
// Port: -p, else PORT, else 3000. Host: -H, else (standalone image) HOSTNAME or 0.0.0.0, else
// every interface, as `next start`. Plain JavaScript: the apps' image runs it without a compiler.
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import next from "next";
import { stampPeer } from "./next-peer.mjs";

const args = process.argv.slice(2);
const flag = (...names) => {
  const i = args.findIndex((a) => names.includes(a));
  return i >= 0 ? args[i + 1] : undefined;
};
const dev = args.includes("--dev");
const dir = process.cwd();
const port = Number(flag("-p", "--port") ?? process.env.PORT ?? 3000);

// The standalone output (infra/docker/next-app.Dockerfile) has the build's configuration in
// .next/required-server-files.json and no next.config: hand it to Next the way Next's own
// generated server.js does.
const standalone =
  !dev &&
  existsSync(".next/required-server-files.json") &&
  !["ts", "mjs", "js"].some((ext) => existsSync(`next.config.${ext}`));
if (standalone) {
  const { config } = JSON.parse(readFileSync(".next/required-server-files.json", "utf8"));
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
}
if (!dev) process.env.NODE_ENV = "production";
const hostname = flag("-H", "--hostname") ?? (standalone ? process.env.HOSTNAME || "0.0.0.0" : undefined);

const app = next({ dev, dir, hostname: hostname ?? "localhost", port });
await app.prepare();
const handle = app.getRequestHandler();

const server = http.createServer((req, res) => {
  stampPeer(req);
  handle(req, res).catch((err) => {
    console.error(`serve-next: ${req.method} ${req.url} failed`, err);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.listen(port, hostname, () => {
  console.log(`serve-next: ${dir} (${dev ? "dev" : "production"}) on http://${hostname ?? "localhost"}:${port}`);
});

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close();
    void app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}

// The control channel of a running `npm start`: HTTP over a Unix socket that only the user running
// it can open (mode 0600, under .local/), so nothing on the network can reach it. `npm run ctl`
// (ctl.mjs) is its client. One request at a time: a stop and a start of one process never
// interleave. Node built-ins only.
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, unlinkSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import { dirname, join } from "node:path";
import { localDir, repoRoot } from "./services.mjs";

export const actions = ["status", "stop", "start", "restart"];
const targetPattern = /^[a-z][a-z0-9:-]{0,63}$/;
const maxBodyBytes = 4_096;

/**
 * Where the control socket of this checkout's `npm start` lives: .local/npm-start.sock, or a
 * per-checkout path in the temp directory when that path is too long for a Unix socket.
 */
export function defaultSocketPath() {
  const preferred = join(localDir, "npm-start.sock");
  if (Buffer.byteLength(preferred) <= 100) return preferred;
  const id = createHash("sha256").update(repoRoot).digest("hex").slice(0, 16);
  return join(os.tmpdir(), `baedal-${id}.sock`);
}

/** True when a server accepts connections on the socket. */
function answers(socketPath) {
  return new Promise((resolve) => {
    const s = net.connect(socketPath);
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/** Checks a request body: `{ action, target? }`, nothing else. Returns the request or an error message. */
export function parseRequest(body) {
  let req;
  try {
    req = JSON.parse(body);
  } catch {
    return { error: "the request is not JSON" };
  }
  if (typeof req !== "object" || req === null || Array.isArray(req))
    return { error: "the request must be an object" };
  const extra = Object.keys(req).filter((k) => k !== "action" && k !== "target");
  if (extra.length) return { error: `unknown field(s): ${extra.join(", ")}` };
  if (!actions.includes(req.action)) return { error: `action must be one of ${actions.join(", ")}` };
  if (req.action === "status") {
    if (req.target !== undefined) return { error: "status takes no name" };
    return { action: "status" };
  }
  if (typeof req.target !== "string" || !targetPattern.test(req.target))
    return { error: `${req.action} needs a process or context name, e.g. store` };
  return { action: req.action, target: req.target };
}

/**
 * Serves `handle({ action, target })` on the socket; it resolves `{ ok, message?, status? }` or
 * throws (an answer with ok: false). Refuses to start when another `npm start` answers there;
 * a socket left behind by one that died is removed.
 */
export async function serveControl(socketPath, handle) {
  if (existsSync(socketPath)) {
    if (await answers(socketPath))
      throw new Error(`another \`npm start\` is running here (its control socket ${socketPath} answers)`);
    unlinkSync(socketPath);
  }
  mkdirSync(dirname(socketPath), { recursive: true });
  let queue = Promise.resolve();
  const server = http.createServer((req, res) => {
    const reply = (code, body) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "POST" || req.url !== "/v1")
      return reply(404, { ok: false, message: "POST /v1 only" });
    let body = "";
    let tooBig = false;
    req.setEncoding("utf8");
    req.on("data", (d) => {
      body += d;
      if (body.length > maxBodyBytes) {
        tooBig = true;
        req.destroy();
      }
    });
    req.on("end", () => {
      if (tooBig) return;
      const parsed = parseRequest(body);
      if (parsed.error) return reply(400, { ok: false, message: parsed.error });
      const run = queue.then(() => handle(parsed));
      queue = run.catch(() => undefined);
      run.then(
        (answer) => reply(200, { ok: true, ...answer }),
        (err) => reply(409, { ok: false, message: err instanceof Error ? err.message : String(err) }),
      );
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  chmodSync(socketPath, 0o600);
  return {
    socketPath,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
        try {
          unlinkSync(socketPath);
        } catch {
          // already gone
        }
      }),
  };
}

/** Sends one request to a running `npm start`; resolves its answer `{ ok, message?, status? }`. */
export function sendControl(socketPath, request, { timeoutMs = 180_000 } = {}) {
  return new Promise((resolve, reject) => {
    if (!existsSync(socketPath)) {
      reject(new Error(`no \`npm start\` is running here (no control socket at ${socketPath})`));
      return;
    }
    const body = JSON.stringify(request);
    const req = http.request(
      { socketPath, path: "/v1", method: "POST", headers: { "content-type": "application/json" } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => {
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new Error(`unreadable answer (HTTP ${res.statusCode})`));
          }
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)));
    req.once("error", (err) =>
      reject(
        err.code === "ECONNREFUSED" || err.code === "ENOENT"
          ? new Error(`no \`npm start\` is running here (nothing answers on ${socketPath})`)
          : err,
      ),
    );
    req.end(body);
  });
}

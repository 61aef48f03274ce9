/**
 * What a bare Node HTTP server on this machine answers per second, loaded by the same kind of
 * client as the API (the driver's node:http fetch, keep-alive, a closed loop of N clients, a body the size of an
 * order). The server runs in its own process like a context does.
 */
import { fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { closedLoop } from "../lib/closed-loop.js";
import { httpFetch } from "../lib/http-fetch.js";
import { ErrorTally, errorKind, mono, summarize, type LatencySummary } from "../lib/stats.js";

interface HttpLevel {
  clients: number;
  requests: number;
  perSecond: number;
  latency: LatencySummary;
  errors: number;
}
export interface HttpBaseline {
  levels: HttpLevel[];
  maxPerSecond: number;
}

const here = dirname(fileURLToPath(import.meta.url));

export async function httpBaseline(opts: {
  clients: number[];
  seconds: number;
  log: (m: string) => void;
}): Promise<HttpBaseline> {
  const child = fork(join(here, "bare-http-server.mjs"), [], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once("message", (m) => resolve((m as { port: number }).port));
      child.once("exit", () => reject(new Error("bare HTTP server exited")));
    });
    const url = `http://127.0.0.1:${port}/trpc/order.place`;
    const body = JSON.stringify({ json: { idempotencyKey: "k".repeat(36), note: "x".repeat(300) } });
    const levels: HttpLevel[] = [];
    for (const clients of opts.clients) {
      const samples: number[] = [];
      const errors = new ErrorTally();
      const window = await closedLoop({
        clients,
        seconds: opts.seconds,
        iteration: async () => {
          const t = mono();
          try {
            const res = await httpFetch(url, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body,
            });
            await res.text();
            if (!res.ok) throw new Error(`HTTP ${res.status}`);
            samples.push(mono() - t);
          } catch (err) {
            errors.add(errorKind(err));
          }
        },
      });
      const level = {
        clients,
        requests: samples.length,
        perSecond: Math.round(samples.length / window.seconds),
        latency: summarize(samples),
        errors: errors.total,
      };
      opts.log(`bare HTTP x${clients}: ${level.perSecond} req/s`);
      levels.push(level);
    }
    return { levels, maxPerSecond: Math.max(...levels.map((l) => l.perSecond)) };
  } finally {
    child.kill();
  }
}

// `npm start`'s supervisor (infra/local/supervisor.mjs), its platform of named processes
// (platform.mjs) and its control channel (control.mjs, ctl.mjs), with small stand-in child
// processes: an HTTP server that answers with its pid and command line. The same code path with
// real contexts: test/integration/local-supervisor.test.ts.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { parseRequest, serveControl } from "../../../../../infra/local/control.mjs";
import { LocalPlatform, type ControlRequest } from "../../../../../infra/local/platform.mjs";
import {
  countCrash,
  restartDelay,
  Supervisor,
  type ProcessSpec,
} from "../../../../../infra/local/supervisor.mjs";
import { waitFor } from "../../integration/harness.js";
import { freePort } from "../../free-port.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "..");
const ctlScript = join(repoRoot, "infra", "local", "ctl.mjs");

/** A stand-in service: answers every request with its pid and arguments; SIGTERM ends it. */
const standIn = `
const http = require("node:http");
const server = http.createServer((req, res) =>
  res.end(JSON.stringify({ pid: process.pid, args: process.argv.slice(1) })));
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`;
const standInCommand = (contexts: string[]) => ({
  cmd: process.execPath,
  args: ["-e", standIn, ...contexts],
  cwd: repoRoot,
});


const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function supervisor(backoff = { baseMs: 50, maxMs: 400, resetAfterMs: 60_000 }) {
  const lines: string[] = [];
  const s = new Supervisor({ log: (m) => lines.push(m), backoff, stopGraceMs: 5_000 });
  cleanups.push(() => s.shutdown());
  return { s, lines };
}

/** The pid a stand-in answers with on its port (null when it does not answer). */
async function pidOn(port: number): Promise<number | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
    return ((await res.json()) as { pid: number }).pid;
  } catch {
    return null;
  }
}

function ctl(socket: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [ctlScript, "--socket", socket, ...args],
      { timeout: 120_000 },
      (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}

describe("backoff", () => {
  it("doubles from the base up to the cap", () => {
    const b = { baseMs: 1_000, maxMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => restartDelay(n, b))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });

  it("counts crashes in a row, starting again after the process stayed up a while", () => {
    const b = { resetAfterMs: 60_000 };
    expect(countCrash(0, 100, b)).toBe(1);
    expect(countCrash(3, 59_999, b)).toBe(4);
    expect(countCrash(5, 60_000, b)).toBe(1);
  });
});

describe("supervisor with stand-in processes", () => {
  it("restarts a process killed with SIGKILL, logged, while the other keeps running", async () => {
    const { s, lines } = supervisor();
    const [portA, portB] = [await freePort(), await freePort()];
    const spec = (name: string, port: number): ProcessSpec => ({
      name,
      ...standInCommand([]),
      env: { ...process.env, PORT: String(port) },
    });
    s.add(spec("a", portA));
    s.add(spec("b", portB));
    s.start("a");
    s.start("b");
    const a1 = await waitFor("a to answer", () => pidOn(portA), 30_000);
    const b1 = await waitFor("b to answer", () => pidOn(portB), 30_000);

    process.kill(a1, "SIGKILL");
    const a2 = await waitFor(
      "a to answer again, as a new process",
      async () => {
        const pid = await pidOn(portA);
        return pid !== null && pid !== a1 ? pid : null;
      },
      30_000,
    );
    expect(a2).not.toBe(a1);
    expect(await pidOn(portB)).toBe(b1);
    expect(s.status().find((x) => x.name === "a")).toMatchObject({ state: "running", restarts: 1, pid: a2 });
    expect(s.status().find((x) => x.name === "b")).toMatchObject({ state: "running", restarts: 0, pid: b1 });
    expect(
      lines.some((l) =>
        /^a exited unexpectedly \(signal SIGKILL\).*restarting in 50ms \(crash 1 in a row\)/.test(l),
      ),
    ).toBe(true);
    expect(lines.some((l) => l.startsWith(`a restarted (pid ${a2}, restart 1)`))).toBe(true);
  }, 90_000);

  it("backs off a crash loop exponentially up to the cap; a stop ends the loop for good", async () => {
    const { s } = supervisor({ baseMs: 20, maxMs: 80, resetAfterMs: 600_000 });
    s.add({ name: "broken", cmd: process.execPath, args: ["-e", "process.exit(3)"] });
    const delays: number[] = [];
    const codes = new Set<number>();
    s.on("crash", (_name: string, c: { code: number; delayMs: number }) => {
      codes.add(c.code);
      delays.push(c.delayMs);
    });
    s.start("broken");
    await waitFor("five crashes", async () => delays.length >= 5, 60_000);
    await s.stop("broken");
    expect(delays.slice(0, 5)).toEqual([20, 40, 80, 80, 80]);
    expect([...codes]).toEqual([3]);
    const spawnsAfterStop: number[] = [];
    s.on("spawn", (_n: string, pid: number) => spawnsAfterStop.push(pid));
    // Well past the longest backoff: nothing is restarted.
    await new Promise((r) => setTimeout(r, 500));
    expect(spawnsAfterStop).toEqual([]);
    expect(s.status()[0]).toMatchObject({ name: "broken", state: "stopped", pid: null });
  }, 90_000);
});

describe("npm run ctl over the control socket (stand-ins)", () => {
  async function platformWith(split: boolean) {
    const { s } = supervisor();
    const ports = { order: await freePort(), store: await freePort(), delivery: await freePort() };
    const allInOnePort = await freePort();
    const platform = new LocalPlatform({
      supervisor: s,
      split,
      contextPorts: ports,
      allInOnePort,
      env: process.env,
      command: standInCommand,
      healthTimeoutMs: 60_000,
    });
    const dir = mkdtempSync(join(os.tmpdir(), "baedal-ctl-"));
    const control = await serveControl(join(dir, "ctl.sock"), (req) =>
      platform.handle(req as ControlRequest),
    );
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => control.close());
    for (const p of platform.apiProcesses()) s.start(p.name);
    for (const p of platform.apiProcesses()) await platform.waitHealthy(p.name, 60_000);
    return { s, platform, socket: control.socketPath, ports, allInOnePort };
  }

  it("split: a stopped context stays down (a crash would have been restarted) until it is started", async () => {
    const { s, socket, ports } = await platformWith(true);
    const orderPid = await pidOn(ports.order);
    const spawned: string[] = [];
    s.on("spawn", (name: string) => spawned.push(name));

    const stopped = await ctl(socket, "stop", "store");
    expect(stopped).toMatchObject({ code: 0 });
    expect(stopped.out).toMatch(/api:store stopped; it stays down until `npm run ctl -- start store`/);
    expect(await pidOn(ports.store)).toBeNull();
    await new Promise((r) => setTimeout(r, 1_000)); // over twice the longest backoff (400 ms)
    expect(spawned).toEqual([]);
    expect(await pidOn(ports.store)).toBeNull();
    const status = await ctl(socket, "status");
    expect(status.out).toMatch(/^mode: one process per context/);
    expect(status.out).toMatch(/^api:store\s+stopped\s+-/m);
    expect(status.out).toMatch(new RegExp(`^api:order\\s+running\\s+${orderPid}\\s`, "m"));
    expect(await ctl(socket, "stop", "store")).toMatchObject({
      code: 0,
      out: "api:store is already stopped\n",
    });

    const started = await ctl(socket, "start", "store");
    expect(started.out).toMatch(/^api:store is up \(pid \d+\)/);
    expect(await pidOn(ports.store)).not.toBeNull();
    expect(spawned).toEqual(["api:store"]);
    // The others never stopped.
    expect(await pidOn(ports.order)).toBe(orderPid);
  }, 90_000);

  it("all-in-one: stopping a context restarts the one process without it; starting it brings it back", async () => {
    const { s, socket, allInOnePort } = await platformWith(false);
    const argsOf = async () => {
      const res = await fetch(`http://127.0.0.1:${allInOnePort}/`);
      return ((await res.json()) as { args: string[] }).args;
    };
    expect(await argsOf()).toEqual(["all"]);

    const stopped = await ctl(socket, "stop", "store");
    expect(stopped.code).toBe(0);
    expect(stopped.out).toMatch(/all contexts run in one process here, so it was restarted without store/);
    expect(await argsOf()).toEqual(["order", "delivery"]);
    expect((await ctl(socket, "status")).out).toMatch(/api runs: order, delivery; stopped: store/);

    // A crash now restarts the process still without store.
    process.kill(s.child("api")!.pid!, "SIGKILL");
    await waitFor(
      "the API process to be restarted",
      async () => s.status()[0]!.restarts === 1 && s.child("api"),
    );
    await waitFor(
      "it to answer",
      async () => (await argsOf().catch(() => null))?.join(",") === "order,delivery",
      30_000,
    );

    const started = await ctl(socket, "start", "store");
    expect(started.out).toMatch(/^store is up: the API process was restarted with it/);
    expect(await argsOf()).toEqual(["all"]);
  }, 90_000);

  it("refuses unknown names and malformed requests with a clear message", async () => {
    const { socket } = await platformWith(true);
    const unknown = await ctl(socket, "stop", "nope");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/unknown name "nope"; choose from order, store, delivery/);
    const api = await ctl(socket, "stop", "api");
    expect(api.err).toMatch(/with BAEDAL_SPLIT=1 every context is its own process: name one/);
    expect((await ctl(socket, "frobnicate")).code).toBe(2);
    expect((await ctl(join(os.tmpdir(), "no-such-baedal.sock"), "status")).err).toMatch(
      /no `npm start` is running here/,
    );

    expect(parseRequest('{"action":"stop","target":"store","x":1}')).toEqual({
      error: "unknown field(s): x",
    });
    expect(parseRequest('{"action":"stop"}').error).toMatch(/needs a process or context name/);
    expect(parseRequest('{"action":"stop","target":"../etc"}').error).toMatch(
      /needs a process or context name/,
    );
    expect(parseRequest("[]").error).toMatch(/must be an object/);
    expect(parseRequest('{"action":"status"}')).toEqual({ action: "status" });
  }, 90_000);
});

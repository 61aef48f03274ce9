// `npm start`'s supervision with real contexts, through the code path `BAEDAL_SPLIT=1 npm start`
// uses (infra/local/platform.mjs: one `node --import tsx packages/api/src/main.ts <context>`
// process per context under the Supervisor, controlled over the control socket by ctl.mjs).
// Stand-in processes cover the rest: test/unit/local/supervisor.test.ts.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveControl } from "../../../../infra/local/control.mjs";
import { answersHealthy, LocalPlatform, type ControlRequest } from "../../../../infra/local/platform.mjs";
import { Supervisor } from "../../../../infra/local/supervisor.mjs";
import { TestEnv, waitFor } from "./harness.js";
import { freePort } from "../free-port.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const ctlScript = join(repoRoot, "infra", "local", "ctl.mjs");


describe("npm start supervision, one real process per context", () => {
  const env = new TestEnv();
  const log: string[] = [];
  const supervisor = new Supervisor({
    log: (m) => log.push(m),
    backoff: { baseMs: 500, maxMs: 5_000, resetAfterMs: 60_000 },
    stopGraceMs: 30_000,
  });
  let platform: LocalPlatform;
  let control: { socketPath: string; close(): Promise<void> };
  let dir: string;
  const ports: Record<string, number> = {};

  const ctl = (...args: string[]) =>
    new Promise<{ code: number; out: string; err: string }>((resolve) =>
      execFile(
        process.execPath,
        [ctlScript, "--socket", control.socketPath, ...args],
        { timeout: 180_000 },
        (e, out, err) => resolve({ code: e ? Number(e.code ?? 1) : 0, out, err }),
      ),
    );
  const healthy = (context: string) => answersHealthy(`http://127.0.0.1:${ports[context]}/healthz`);
  const pidOf = (context: string) => supervisor.child(`api:${context}`)?.pid ?? null;

  beforeAll(async () => {
    await env.setup();
    ports.review = await freePort();
    ports.report = await freePort();
    platform = new LocalPlatform({
      supervisor,
      split: true,
      contextPorts: ports,
      allInOnePort: await freePort(),
      env: env.env({ LOG_LEVEL: "warn" }),
      healthTimeoutMs: 120_000,
    });
    dir = mkdtempSync(join(os.tmpdir(), "baedal-ctl-"));
    control = await serveControl(join(dir, "ctl.sock"), (req) => platform.handle(req as ControlRequest));
    for (const p of platform.apiProcesses()) supervisor.start(p.name);
    for (const p of platform.apiProcesses()) await platform.waitHealthy(p.name);
  }, 180_000);
  afterAll(async () => {
    if (process.env.DUMP) console.log(log.join("\n"));
    await control?.close();
    await supervisor.shutdown();
    rmSync(dir, { recursive: true, force: true });
    await env.teardown();
  });

  it("a context killed with SIGKILL is restarted (logged) while the other keeps running", async () => {
    const report = pidOf("report")!;
    const review = pidOf("review")!;
    process.kill(report, "SIGKILL");
    await waitFor(
      "report to be restarted and answer",
      async () => pidOf("report") !== null && pidOf("report") !== report && (await healthy("report")),
      120_000,
      300,
    );
    expect(log.some((l) => /^api:report exited unexpectedly \(signal SIGKILL\).*restarting in/.test(l))).toBe(
      true,
    );
    expect(log.some((l) => l.startsWith(`api:report restarted (pid ${pidOf("report")}, restart 1)`))).toBe(
      true,
    );
    expect(pidOf("review")).toBe(review);
    expect(await healthy("review")).toBe(true);
  }, 150_000);

  it("npm run ctl -- stop report keeps it down, start brings it back; review runs throughout", async () => {
    const review = pidOf("review");
    const stopped = await ctl("stop", "report");
    expect(stopped).toMatchObject({ code: 0 });
    expect(stopped.out).toMatch(/^api:report stopped; it stays down/);
    expect(await healthy("report")).toBe(false);
    // Longer than the first restart backoff (500 ms): a crash would have been restarted by now.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(pidOf("report")).toBeNull();
    expect(await healthy("report")).toBe(false);
    expect((await ctl("status")).out).toMatch(/^api:report\s+stopped\s+-/m);

    const started = await ctl("start", "report");
    expect(started.out).toMatch(/^api:report is up \(pid \d+\)/);
    expect(await healthy("report")).toBe(true);
    expect(pidOf("review")).toBe(review);
    expect((await ctl("status")).out).toMatch(
      new RegExp(`^api:review\\s+running\\s+${review}\\s.*\\sok\\s`, "m"),
    );
  }, 200_000);
});

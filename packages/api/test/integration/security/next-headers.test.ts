import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Both Next apps send the shared security headers (src/platform/security/headers.ts) on every path.
 * Loads each app's next.config.ts the way `next build` / `next start` do (Next's own config
 * loader, in a child process) and reads the headers it declares.
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "..");

type Rule = { source: string; headers: { key: string; value: string }[] };

function headersOf(app: string, env: Record<string, string>): Rule[] {
  const dir = join(repoRoot, "apps", app);
  const script = `
    const dir = ${JSON.stringify(dir)};
    const loadConfig = require(require.resolve("next/dist/server/config", { paths: [dir] })).default;
    const { PHASE_PRODUCTION_BUILD } = require(require.resolve("next/constants", { paths: [dir] }));
    loadConfig(PHASE_PRODUCTION_BUILD, dir)
      .then(async (c) => process.stdout.write("@@" + JSON.stringify(c.headers ? await c.headers() : [])))
      .catch((e) => { console.error(e); process.exit(1); });`;
  const run = spawnSync(process.execPath, ["-e", script], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.slice(run.stdout.indexOf("@@") + 2)) as Rule[];
}

describe("the Next apps send the security headers", () => {
  for (const app of ["web", "shop-console"]) {
    it(`${app}: CSP with script-src 'self', frame-ancestors 'none', nosniff, Referrer-Policy, Permissions-Policy on every path`, () => {
      const rules = headersOf(app, { NODE_ENV: "production" });
      const all = rules.find((r) => r.source === "/:path*");
      expect(all, JSON.stringify(rules)).toBeDefined();
      const h = Object.fromEntries(all!.headers.map((x) => [x.key.toLowerCase(), x.value]));
      const csp = h["content-security-policy"]!;
      expect(csp).toMatch(/(?:^|; )script-src 'self'( |;)/);
      expect(csp).not.toContain("'unsafe-eval'"); // only next dev needs it
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(h["x-content-type-options"]).toBe("nosniff");
      expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(h["permissions-policy"]).toContain("camera=()");
      expect(h["strict-transport-security"]).toBeUndefined(); // plain HTTP by default
    }, 150_000);
  }

  it("adds HSTS when the apps are served over HTTPS (COOKIE_SECURE=1)", () => {
    const rules = headersOf("web", { NODE_ENV: "production", COOKIE_SECURE: "1" });
    const h = Object.fromEntries(rules[0]!.headers.map((x) => [x.key.toLowerCase(), x.value]));
    expect(h["strict-transport-security"]).toMatch(/max-age=\d+/);
  }, 150_000);
});

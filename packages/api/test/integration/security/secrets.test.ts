import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/platform/config.js";
import { loadSecurityConfig } from "../../../src/platform/security/config.js";
import { forbiddenFile, scanText } from "../../../testing/secret-scan.js";

const apiDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const repoRoot = join(apiDir, "..", "..");

/** Every file git tracks, plus new ones it would track (not ignored): what a commit could carry. */
function repositoryFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(out.split("\0").filter(Boolean))];
}

describe("secrets stay out of the repository", () => {
  it("no tracked file holds a secret-looking string or is a key/env file", () => {
    const files = repositoryFiles();
    expect(files.length).toBeGreaterThan(100); // the listing really ran over the repository
    const problems: string[] = [];
    let scanned = 0;
    for (const file of files) {
      const why = forbiddenFile(file);
      if (why) problems.push(`${file}: ${why}`);
      const path = join(repoRoot, file);
      let stat;
      try {
        stat = statSync(path);
      } catch {
        continue; // deleted in the working tree
      }
      if (!stat.isFile() || stat.size > 5_000_000) continue;
      const buf = readFileSync(path);
      if (buf.includes(0)) continue; // binary
      scanned++;
      for (const f of scanText(file, buf.toString("utf8")))
        problems.push(`${f.file}:${f.line}: ${f.rule} (${f.excerpt})`);
    }
    expect(scanned).toBeGreaterThan(100);
    // Not a secret after all (a test-only value)? Add it to allowedValues in
    // testing/secret-scan.ts, with the reason.
    expect(problems).toEqual([]);
  });

  it("the scanner recognises real secret shapes (built here at run time, so this file holds none)", () => {
    const j = (...parts: string[]) => parts.join("");
    const samples: [string, string][] = [
      [j("-----BEGIN ", "RSA PRIVATE", " KEY-----"), "private key"],
      [j("-----BEGIN ", "OPENSSH PRIVATE", " KEY-----"), "private key"],
      [j("aws_id = ", "AKIA", "Z7Q4XK2MPL9WRT3V"), "AWS access key id"],
      [j("token: ", "ghp_", "a".repeat(10), "B9c8D7e6F5g4H3i2J1k0L9m8N7"), "GitHub token"],
      [j("const key = '", "sk_live_", "4eC39HqLyjWDarjtT1zdp7dc", "'"), "Stripe live key"],
      [j('"', "AIza", "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", '"'), "Google API key"],
      [
        j(
          "Authorization: Bearer ",
          "eyJ",
          "hbGciOiJIUzI1NiJ9.",
          "eyJ",
          "zdWIiOiIxMjM0NTY3ODkwIn0.",
          "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        ),
        "JSON Web Token",
      ],
      [j("DATABASE_URL=postgres://app:", "Xk29vLq8pZ", "@db.internal:5432/baedal"), "password in a URL"],
      [j("AUTH_SECRET: ", '"', "q8Vz3LkP0wXe9RtY7uIo2MnB", '"'), "secret-looking value for AUTH_SECRET"],
      [j('{"apiKey": "', "9fK2mQ7xW4zR8tL1vB6nC3", '"}'), "secret-looking value for apiKey"],
    ];
    for (const [text, rule] of samples) {
      const found = scanText("sample.ts", text);
      expect(
        found.map((f) => f.rule),
        text,
      ).toContain(rule);
      // The report masks what it found.
      for (const f of found) expect(text.includes(f.excerpt)).toBe(false);
    }
    // What this repository legitimately holds is not flagged.
    const fine = [
      `const value = env[s.name] || (production ? null : readLocal(path));`,
      `DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/baedal"`,
      `export const DEMO_PASSWORD = "baedal1234";`,
      `password: z.string().min(8).max(200),`,
      `"integrity": "sha512-Fq0ZM5E1SEtjnK9p5cJTPHSVBjQxWwx1ruM0ZG8oGixDwVq5JmdV2o35tnpLlvBzV8iCJNVrtf9spFF8bADbKA=="`,
    ];
    for (const text of fine) expect(scanText("fine.ts", text), text).toEqual([]);
    for (const [path, bad] of [
      [".env", true],
      ["apps/web/.env.local", true],
      [".env.example", false],
      ["infra/tls/server.key", true],
      ["deploy/id_rsa", true],
      ["packages/api/src/platform/security/secrets.ts", false],
    ] as const) {
      expect(forbiddenFile(path) !== null, path).toBe(bad);
    }
  });
});

describe("no secret is built in: each installation has its own", () => {
  const prod = (extra: Record<string, string> = {}) =>
    ({ NODE_ENV: "production", ...extra }) as NodeJS.ProcessEnv;
  const strong = randomBytes(24).toString("base64url"); // an AUTH_SECRET good for production
  const token = randomBytes(16).toString("hex"); // METRICS_TOKEN
  const emptyDir = () => mkdtempSync(join(os.tmpdir(), "baedal-secrets-"));

  it("outside production, with no AUTH_SECRET and no .local/secrets, a process refuses to start and says what to do", () => {
    // Before: it fell back to a development secret committed in config.ts, so anyone could sign an ADMIN cookie.
    const dir = emptyDir();
    expect(() => loadConfig({} as NodeJS.ProcessEnv, dir)).toThrow(
      /AUTH_SECRET is not set and .*auth-secret does not exist.*Run `npm start` once.*or set AUTH_SECRET yourself/,
    );
    expect(() => loadConfig({ AUTH_SECRET: strong } as NodeJS.ProcessEnv, dir)).toThrow(
      /METRICS_TOKEN is not set and .*metrics-token does not exist/,
    );
    expect(() => loadConfig({ AUTH_SECRET: "short", METRICS_TOKEN: token } as NodeJS.ProcessEnv, dir)).toThrow(
      /AUTH_SECRET must be at least 16 characters/,
    );
    rmSync(dir, { recursive: true });
  });

  it("npm start generates the secrets once into .local/secrets (0600 files in a 0700 folder) and a process started by hand reads them", () => {
    const dir = join(emptyDir(), "secrets");
    // The generator start.mjs calls (infra/local/secrets.mjs), run as start.mjs runs it.
    const generate = () => {
      const script = `import { ensureLocalSecrets } from ${JSON.stringify(join(repoRoot, "infra/local/secrets.mjs"))};
        process.stdout.write(JSON.stringify(ensureLocalSecrets(${JSON.stringify(dir)})));`;
      const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as { values: Record<string, string>; created: string[] };
    };
    const first = generate();
    expect(first.created).toEqual(["AUTH_SECRET", "METRICS_TOKEN"]);
    expect(first.values.AUTH_SECRET!.length).toBeGreaterThanOrEqual(32);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600);
    // Every later run reuses them (sessions survive a restart); a loosened mode is tightened again.
    chmodSync(join(dir, "auth-secret"), 0o644);
    const second = generate();
    expect(second.created).toEqual([]);
    expect(second.values).toEqual(first.values);
    expect(statSync(join(dir, "auth-secret")).mode & 0o777).toBe(0o600);

    // The API reads the same files when its environment has none; the environment wins.
    expect(loadConfig({} as NodeJS.ProcessEnv, dir)).toMatchObject(first.values);
    expect(loadConfig({ AUTH_SECRET: strong } as NodeJS.ProcessEnv, dir)).toMatchObject({
      AUTH_SECRET: strong,
      METRICS_TOKEN: first.values.METRICS_TOKEN,
    });
    // Production never reads them: its secrets come from its environment only.
    expect(() => loadConfig(prod({ ALLOWED_ORIGINS: "https://baedal.example" }), dir)).toThrow(
      /AUTH_SECRET must be set when NODE_ENV=production/,
    );
    rmSync(join(dir, ".."), { recursive: true });
  });

  it("loadConfig refuses a missing or short AUTH_SECRET or METRICS_TOKEN when NODE_ENV=production", () => {
    const dir = emptyDir();
    expect(() => loadConfig(prod(), dir)).toThrow(/AUTH_SECRET must be set when NODE_ENV=production/);
    expect(() => loadConfig(prod({ AUTH_SECRET: "too-short-secret-1234", METRICS_TOKEN: token }), dir)).toThrow(
      /at least 32 characters/,
    );
    expect(() => loadConfig(prod({ AUTH_SECRET: strong }), dir)).toThrow(
      /METRICS_TOKEN must be set when NODE_ENV=production/,
    );
    expect(() => loadConfig(prod({ AUTH_SECRET: strong, METRICS_TOKEN: "short" }), dir)).toThrow(
      /METRICS_TOKEN must be at least 16 characters/,
    );
    expect(loadConfig(prod({ AUTH_SECRET: strong, METRICS_TOKEN: token }), dir)).toMatchObject({
      AUTH_SECRET: strong,
      METRICS_TOKEN: token,
    });
    rmSync(dir, { recursive: true });
  });

  it("WEBHOOK_ALLOW_PRIVATE=1 is refused when NODE_ENV=production", () => {
    const env = prod({ AUTH_SECRET: strong, METRICS_TOKEN: token, WEBHOOK_ALLOW_PRIVATE: "1" });
    expect(() => loadConfig(env)).toThrow(/WEBHOOK_ALLOW_PRIVATE=1 is refused when NODE_ENV=production/);
    // Development and tests may still turn it on.
    expect(loadConfig({ AUTH_SECRET: strong, METRICS_TOKEN: token, WEBHOOK_ALLOW_PRIVATE: "1" } as NodeJS.ProcessEnv))
      .toMatchObject({ AUTH_SECRET: strong });
  });

  it("the HTTP layer refuses to start in production without ALLOWED_ORIGINS", () => {
    expect(() => loadSecurityConfig(prod())).toThrow(/ALLOWED_ORIGINS must be set/);
    expect(() => loadSecurityConfig(prod({ ALLOWED_ORIGINS: "https://baedal.example/path" }))).toThrow(
      /not an origin/,
    );
    expect([
      ...loadSecurityConfig(prod({ ALLOWED_ORIGINS: "https://baedal.example" })).allowedOrigins!,
    ]).toEqual(["https://baedal.example"]);
    expect(loadSecurityConfig({} as NodeJS.ProcessEnv).allowedOrigins).toBeNull();
  });

  /** Starts a context process as the image does and returns how it ended (it should not start). */
  const startInProduction = (extra: Record<string, string>) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      ALLOWED_ORIGINS: "https://baedal.example",
      ...extra,
    };
    for (const k of ["AUTH_SECRET", "METRICS_TOKEN", "WEBHOOK_ALLOW_PRIVATE"]) if (!(k in extra)) delete env[k];
    return spawnSync(process.execPath, ["dist/main.js", "identity"], {
      cwd: apiDir,
      env,
      encoding: "utf8",
      timeout: 60_000,
    });
  };

  it("a context process started with NODE_ENV=production and no AUTH_SECRET exits at once with a clear message", () => {
    const run = startInProduction({});
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("baedal: cannot start: AUTH_SECRET must be set when NODE_ENV=production");
    expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  }, 90_000);

  it("a context process started with NODE_ENV=production and WEBHOOK_ALLOW_PRIVATE=1 exits at once with a clear message", () => {
    const run = startInProduction({ AUTH_SECRET: strong, METRICS_TOKEN: token, WEBHOOK_ALLOW_PRIVATE: "1" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("baedal: cannot start: WEBHOOK_ALLOW_PRIVATE=1 is refused when NODE_ENV=production");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 90_000);
});

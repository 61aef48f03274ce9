import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/platform/config.js";
import { loadSecurityConfig } from "../../../src/platform/security/config.js";
import { forbiddenFile, scanText } from "../../../src/platform/security/secret-scan.js";

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
    // src/platform/security/secret-scan.ts, with the reason.
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
      `AUTH_SECRET: z.string().min(16).default(devDefaults.AUTH_SECRET),`,
      `const devDefaults = { AUTH_SECRET: "baedal-dev-secret-change-me-please" };`,
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

describe("production needs its own secrets", () => {
  const prod = (extra: Record<string, string> = {}) =>
    ({ NODE_ENV: "production", ...extra }) as NodeJS.ProcessEnv;
  const strong = "x7Lq2Vz9Kp4Rt8Wm3Nc6Bh1Jd5Fg0Ys2Ue7Ia";

  it("loadConfig refuses a missing, short or development AUTH_SECRET when NODE_ENV=production", () => {
    expect(() => loadConfig(prod())).toThrow(/AUTH_SECRET must be set when NODE_ENV=production/);
    expect(() => loadConfig(prod({ AUTH_SECRET: "too-short-secret-1234" }))).toThrow(
      /at least 32 characters/,
    );
    expect(() => loadConfig(prod({ AUTH_SECRET: "baedal-dev-secret-change-me-please" }))).toThrow(
      /development default/,
    );
    expect(loadConfig(prod({ AUTH_SECRET: strong })).AUTH_SECRET).toBe(strong);
    // Development keeps working with no setup.
    expect(loadConfig({} as NodeJS.ProcessEnv).AUTH_SECRET).toBe("baedal-dev-secret-change-me-please");
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

  it("a context process started with NODE_ENV=production and no AUTH_SECRET exits at once with a clear message", () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      ALLOWED_ORIGINS: "https://baedal.example",
    };
    delete env.AUTH_SECRET;
    const started = Date.now();
    const run = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts", "identity"], {
      cwd: apiDir,
      env,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("baedal: cannot start: AUTH_SECRET must be set when NODE_ENV=production");
    expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 90_000);
});

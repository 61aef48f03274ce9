import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../paths.js";

/**
 * Secrets come from the environment, never from the repository. In production they must be set
 * there. Elsewhere a process may fall back to this installation's own generated secrets, which
 * `npm start` writes once into the git-ignored `.local/secrets/` (infra/local/secrets.mjs);
 * with neither, the process refuses to start and says what to do.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Where infra/local/secrets.mjs keeps this installation's secrets (repository root/.local/secrets). */
const localSecretsDir = join(repoRoot, ".local", "secrets");

/** The secrets a serving process needs. */
export interface ProcessSecrets {
  /** Signs and verifies every session token. */
  AUTH_SECRET: string;
  /** Bearer token of /metrics and of /readyz's detail (Prometheus' scrape credentials). */
  METRICS_TOKEN: string;
}

const secrets: {
  name: keyof ProcessSecrets;
  /** File name under `.local/secrets/` (the same names in infra/local/secrets.mjs). */
  file: string;
  why: string;
  minLength: number;
  minLengthInProduction: number;
  generate: string;
}[] = [
  {
    name: "AUTH_SECRET",
    file: "auth-secret",
    why: "it signs every session token",
    minLength: 16,
    minLengthInProduction: 32,
    generate: "openssl rand -base64 48",
  },
  {
    name: "METRICS_TOKEN",
    file: "metrics-token",
    why: "/metrics and the detail of /readyz answer only this bearer token",
    minLength: 16,
    minLengthInProduction: 16,
    generate: "openssl rand -hex 24",
  },
];

function readLocal(path: string): string | null {
  try {
    return readFileSync(path, "utf8").trim() || null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new ConfigError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

/**
 * AUTH_SECRET and METRICS_TOKEN for a serving process: from the environment; outside production
 * from `localDir` when the environment has none. Throws a ConfigError with a one-line message
 * (main.ts prints it and exits) when one is missing or too short.
 */
export function resolveSecrets(
  env: NodeJS.ProcessEnv,
  localDir: string = localSecretsDir,
): ProcessSecrets {
  const production = env.NODE_ENV === "production";
  const out = {} as ProcessSecrets;
  for (const s of secrets) {
    const path = join(localDir, s.file);
    const value = env[s.name] || (production ? null : readLocal(path));
    if (!value && production) {
      throw new ConfigError(
        `${s.name} must be set when NODE_ENV=production (${s.why}); there is no default. ` +
          `Generate one with: ${s.generate}`,
      );
    }
    if (!value) {
      throw new ConfigError(
        `${s.name} is not set and ${path} does not exist (${s.why}). Run \`npm start\` once ` +
          `(it generates this installation's secrets there) or \`node infra/local/secrets.mjs\`, ` +
          `or set ${s.name} yourself: ${s.generate}`,
      );
    }
    const min = production ? s.minLengthInProduction : s.minLength;
    if (value.length < min) {
      throw new ConfigError(
        `${s.name} must be at least ${min} characters${production ? " when NODE_ENV=production" : ""}`,
      );
    }
    out[s.name] = value;
  }
  return out;
}

/** Development switches that must never be on in production. */
export function assertNoDevelopmentSwitches(env: NodeJS.ProcessEnv): void {
  if (env.NODE_ENV === "production" && env.WEBHOOK_ALLOW_PRIVATE === "1") {
    throw new ConfigError(
      "WEBHOOK_ALLOW_PRIVATE=1 is refused when NODE_ENV=production: it lets webhooks reach " +
        "private and loopback addresses (local development only); unset it",
    );
  }
}

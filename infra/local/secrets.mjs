// This installation's own secrets, generated once into .local/secrets/ (git-ignored, directory
// 0700, files 0600) and reused on every later run: `npm start` passes them to the API processes,
// and a process started by hand reads the same files when its environment has none
// (packages/api/src/platform/security/secrets.ts: same file names). Prometheus reads the metrics
// token from its file (infra/monitoring/prometheus/prometheus.yml).
//
//   node infra/local/secrets.mjs     creates them when missing and prints where they are
//
// Node built-ins only: runs before `npm install`.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { localDir, repoRoot } from "./services.mjs";

export const secretsDir = join(localDir, "secrets");

/** Environment variable, file name, random bytes. */
export const localSecrets = [
  { name: "AUTH_SECRET", file: "auth-secret", bytes: 48 },
  { name: "METRICS_TOKEN", file: "metrics-token", bytes: 24 },
];

function readSecret(path) {
  try {
    return readFileSync(path, "utf8").trim() || null;
  } catch (err) {
    if (err.code === "ENOENT") return null;
    throw err;
  }
}

/**
 * Returns { values: { AUTH_SECRET, METRICS_TOKEN }, files: { AUTH_SECRET: path, … }, created: [names] }.
 * A file that exists is reused (and its mode tightened to 0600); a missing or empty one is written.
 */
export function ensureLocalSecrets(dir = secretsDir) {
  // Only the secrets' own folder is private: .local/ must stay reachable for the `postgres`
  // user (the project-local cluster lives in .local/pg).
  mkdirSync(dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const values = {};
  const files = {};
  const created = [];
  for (const s of localSecrets) {
    const path = join(dir, s.file);
    let value = readSecret(path);
    if (!value) {
      value = randomBytes(s.bytes).toString("base64url");
      // No trailing newline: Prometheus' credentials_file takes the file as it is.
      writeFileSync(path, value, { mode: 0o600 });
      created.push(s.name);
    }
    chmodSync(path, 0o600);
    values[s.name] = value;
    files[s.name] = path;
  }
  return { values, files, created };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files, created } = ensureLocalSecrets();
  for (const s of localSecrets) {
    const what = created.includes(s.name) ? "generated" : "kept";
    console.log(`${s.name.padEnd(14)} ${relative(repoRoot, files[s.name])} (${what})`);
  }
}

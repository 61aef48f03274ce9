// Lints the Dockerfiles (no Docker engine needed): dockerfile-utils' validator (the one behind
// the VS Code Docker extension: unknown instructions, bad arguments and flags, ...) plus the
// rules every Baedal image keeps: multi-stage, pinned base image, `npm ci`, a non-root numeric
// USER in the final stage, and a HEALTHCHECK; and that their `npm ci` accepts the lock file.
// Usage: node infra/docker/lint.mjs [Dockerfile...]   (default: every *.Dockerfile here)
// Runs in `npm test` through packages/api/test/unit/k8s/dockerfiles.test.ts.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const dockerDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(dockerDir, "../..");
// A devDependency of @baedal/api, whose test suite runs this.
const { validate } = createRequire(join(repoRoot, "packages/api/package.json"))("dockerfile-utils");

export const dockerfiles = () =>
  readdirSync(dockerDir)
    .filter((f) => f.endsWith(".Dockerfile"))
    .map((f) => join(dockerDir, f));

/** Instructions with continuation lines joined and comments dropped: [{ line, keyword, args }]. */
function instructions(text) {
  const out = [];
  let current = null;
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!current && (line === "" || line.startsWith("#"))) return;
    if (current && line.startsWith("#")) return;
    const body = line.replace(/\\$/, "").trim();
    if (current) current.args += ` ${body}`;
    else {
      const [keyword, ...rest] = body.split(/\s+/);
      current = { line: i + 1, keyword: keyword.toUpperCase(), args: rest.join(" ") };
    }
    if (!line.endsWith("\\")) {
      out.push(current);
      current = null;
    }
  });
  if (current) out.push(current);
  return out;
}

/** Every problem of one Dockerfile's text, as "line N: what". */
export function lintDockerfile(text) {
  const problems = validate(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  const all = instructions(text);
  const args = new Map(
    all.filter((i) => i.keyword === "ARG" && i.args.includes("=")).map((i) => i.args.split("=", 2)),
  );
  const froms = all.filter((i) => i.keyword === "FROM");
  if (froms.length < 2)
    problems.push("not multi-stage: build in one stage, copy the result into a small runtime stage");
  for (const f of froms) {
    const image = f.args.split(/\s+/)[0].replace(/^\$\{?(\w+)\}?$/, (_, a) => args.get(a) ?? `$${a}`);
    const isStage = froms.some((s) => new RegExp(`\\bAS\\s+${image}$`, "i").test(s.args));
    if (!isStage && (!image.includes(":") || image.endsWith(":latest"))) {
      problems.push(`line ${f.line}: base image ${image} is not pinned to a tag`);
    }
  }
  for (const r of all.filter((i) => i.keyword === "RUN" && /\bnpm (install|i)\b/.test(i.args))) {
    problems.push(`line ${r.line}: use \`npm ci\` (the lock file), not \`npm install\``);
  }
  const lastFrom = all.lastIndexOf(froms.at(-1));
  const final = all.slice(lastFrom);
  const user = final.filter((i) => i.keyword === "USER").at(-1);
  const uid = user?.args.split(":")[0];
  if (!user) problems.push("the final stage has no USER: it would run as root");
  else if (!/^\d+$/.test(uid ?? "") || uid === "0") {
    problems.push(
      `line ${user.line}: USER must be a numeric non-root id (Kubernetes' runAsNonRoot checks it)`,
    );
  }
  if (!final.some((i) => i.keyword === "HEALTHCHECK")) problems.push("the final stage has no HEALTHCHECK");
  return problems;
}

/**
 * What the images' `npm ci --ignore-scripts` says of the lock file, run the way their manifests
 * stage runs it: the workspace manifests and the lock file alone, in an empty folder (a dry run:
 * nothing is downloaded). npm refuses a lock file that misses a package any platform would need
 * (turbo's per-OS binaries, say) although `npm install` on one machine works around it.
 * `lock` replaces the lock file's text (tests). Returns npm's error lines, [] when it accepts.
 */
export function npmCiProblems({ lock } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "baedal-npm-ci-"));
  try {
    const manifests = ["package.json", "package-lock.json"];
    for (const ws of ["apps", "packages"]) {
      for (const name of readdirSync(join(repoRoot, ws))) manifests.push(`${ws}/${name}/package.json`);
    }
    // The tool workspaces (root package.json), as the Dockerfiles copy them.
    manifests.push("e2e/package.json", "bench/package.json", "chaos/package.json");
    for (const m of manifests) {
      mkdirSync(dirname(join(dir, m)), { recursive: true });
      cpSync(join(repoRoot, m), join(dir, m));
    }
    if (lock !== undefined) writeFileSync(join(dir, "package-lock.json"), lock);
    const r = spawnSync("npm", ["ci", "--dry-run", "--ignore-scripts", "--no-audit", "--no-fund"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, npm_config_offline: "true" },
    });
    if (r.status === 0) return [];
    // npm's reason comes before its usage text ("Clean install a project", options, ...).
    const lines = `${r.stdout}\n${r.stderr}`
      .split("\n")
      .filter((l) => l.startsWith("npm error") && /\S/.test(l.slice(9)))
      .map((l) => l.slice(10));
    const usage = lines.indexOf("Clean install a project");
    return usage > 0 ? lines.slice(0, usage) : lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => resolve(f)) : dockerfiles();
  let failed = 0;
  for (const f of files) {
    const problems = lintDockerfile(readFileSync(f, "utf8"));
    failed += problems.length;
    console.log(`${problems.length ? "FAIL" : "ok  "}  ${relative(repoRoot, f)}`);
    for (const p of problems) console.log(`      ${p}`);
  }
  const lockProblems = npmCiProblems();
  failed += lockProblems.length;
  console.log(`${lockProblems.length ? "FAIL" : "ok  "}  package-lock.json (npm ci)`);
  for (const p of lockProblems) console.log(`      ${p}`);
  process.exitCode = failed ? 1 : 0;
}

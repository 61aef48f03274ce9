// Lints the Dockerfiles (no Docker engine needed): dockerfile-utils' validator (the one behind
// the VS Code Docker extension: unknown instructions, bad arguments and flags, ...) plus the
// rules every Baedal image keeps: multi-stage, pinned base image, `npm ci`, a non-root numeric
// USER in the final stage, and a HEALTHCHECK.
// Usage: node infra/docker/lint.mjs [Dockerfile...]   (default: every *.Dockerfile here)
// Runs in `npm test` through packages/api/test/unit/k8s/dockerfiles.test.ts.
import { readdirSync, readFileSync } from "node:fs";
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => resolve(f)) : dockerfiles();
  let failed = 0;
  for (const f of files) {
    const problems = lintDockerfile(readFileSync(f, "utf8"));
    failed += problems.length;
    console.log(`${problems.length ? "FAIL" : "ok  "}  ${relative(repoRoot, f)}`);
    for (const p of problems) console.log(`      ${p}`);
  }
  process.exitCode = failed ? 1 : 0;
}

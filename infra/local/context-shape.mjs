// The shape of a bounded context (docs/context-guide.md), checked by `npm run lint`: the files
// every context has and their names, and the few things its files may not say. The import rules
// of the shape (who may import adapters/, the generated Prisma client) are dependency-cruiser's
// (.dependency-cruiser.cjs); this script checks what an import graph cannot see. Each rule is
// proven to fire by infra/local/boundary-probes.mjs, which runs `checkShape` on a copy of the
// model context (order) broken one rule at a time.
//   node infra/local/context-shape.mjs     (a check of `npm run lint`)
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** Folders of packages/api/src that are not contexts (as in .dependency-cruiser.cjs). */
export const sharedFolders = ["platform", "web", "seed"];

/** Every rule, by name: what it asks (docs/context-guide.md says why). */
export const rules = {
  "required-files":
    "a context has index.ts, router.ts, service.ts, adapters/repository.ts, domain/*.ts and prisma/schema.prisma",
  "allowed-files":
    "a context holds only the files of the guide's table: index.ts, router.ts, service.ts, handlers.ts, limits.ts, " +
    "<name>-saga.ts, domain/<name>.ts, adapters/<name>.ts, prisma/schema.prisma, migrations/<nnnn>_<name>.sql",
  "file-names":
    "one name per role: no *-repo.ts, *-service.ts, *-handlers.ts or *-router.ts; a second repository is adapters/<aggregate>-repository.ts",
  "service-class": "service.ts exports `class <Ctx>Service`",
  "service-slot":
    "router.ts declares the one slot `export const <ctx>Service = new Slot<<Ctx>Service>(…)`, filled in index.ts",
  "define-context": "index.ts exports `const <ctx>Context = defineContext(…)`",
  "register-handlers":
    "handlers.ts exports `registerHandlers(rt, <name>: <Ctx>Service)`, called by index.ts as `registerHandlers(rt, …)`",
  "typed-on": "every consumer's `handlers` is an object literal of `EventType: on(Events.EventType, …)` entries",
  "event-data-cast": "no `….data as …` cast: `on()` types an event's data by its contract",
  "error-class": "no error class of a context's own: failures are `DomainError`, \"not yet\" is `EventTooEarly`",
  "plain-error":
    "domain, service, saga, router, handlers, index and limits throw `DomainError` or `EventTooEarly`, never `new Error(…)` or `new TRPCError(…)`",
  "not-yet": "\"not yet\" is said with `EventTooEarly` only: no `NOT_YET` reason, no `Error(\"…retry…\")`",
  "shared-transition": "no `Transition` type of a context's own: domain transitions use `Transition<S>` of platform/transition.ts",
  "prisma-in-adapters": "Prisma queries (`db.<model>.…`, `tx.$queryRaw…`) are written in adapters/ only",
};

const pascal = (name) => name[0].toUpperCase() + name.slice(1);

/** The files a context may hold (docs/context-guide.md's table); `generated/` is Prisma's output. */
const contextFiles = [
  /^(index|router|service|handlers|limits)\.ts$/,
  /^[a-z][a-z0-9-]*-saga\.ts$/,
  /^(domain|adapters)\/[a-z][a-z0-9-]*\.ts$/,
  /^prisma\/schema\.prisma$/,
  /^migrations\/\d{4}_[a-z0-9_]+\.sql$/,
];

function filesUnder(dir, base = dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) {
      return entry === "generated" || entry === "node_modules" ? [] : filesUnder(full, base);
    }
    return [relative(base, full)];
  });
}

/** Source with comments blanked (lines kept), so a rule matches code, not a comment that names it. */
function code(text) {
  return text.replace(/\/\*[\s\S]*?\*\/|(^|[^:"'`\\])\/\/.*$/gm, (m, pre = "") =>
    pre + m.slice(pre.length).replace(/[^\n]/g, " "),
  );
}

const lineOf = (text, index) => text.slice(0, index).split("\n").length;

/** The text of the balanced `{…}` that starts at `open`, or null. */
function braced(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{" || text[i] === "(" || text[i] === "[") depth++;
    else if (text[i] === "}" || text[i] === ")" || text[i] === "]") {
      depth--;
      if (depth === 0) return text.slice(open + 1, i);
    }
  }
  return null;
}

/** Splits an object literal's body on its top-level commas. */
function entries(body) {
  const out = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if ("{([".includes(c)) depth++;
    else if ("})]".includes(c)) depth--;
    else if (c === "," && depth === 0) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  out.push(body.slice(start));
  return out.map((e) => e.trim()).filter(Boolean);
}

const prismaCall = new RegExp(
  String.raw`\b(?:db|tx)\s*\.\s*(?:\$(?:queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe|transaction)\b|` +
    String.raw`[a-z]\w*\s*\.\s*(?:findUnique|findFirst|findMany|findUniqueOrThrow|findFirstOrThrow|create|createMany|` +
    String.raw`createManyAndReturn|update|updateMany|updateManyAndReturn|upsert|delete|deleteMany|count|aggregate|groupBy)\s*\()`,
  "g",
);

/**
 * Every violation of the shape in the contexts under `srcDir` (packages/api/src or a probe's
 * copy): `{ context, rule, file, line, message }`.
 */
export function checkShape(srcDir) {
  const found = [];
  const contexts = readdirSync(srcDir).filter(
    (d) => !sharedFolders.includes(d) && statSync(join(srcDir, d)).isDirectory(),
  );
  for (const ctx of contexts) {
    const dir = join(srcDir, ctx);
    const Ctx = pascal(ctx);
    const add = (rule, file, message, line = null) =>
      found.push({ context: ctx, rule, file: `${ctx}/${file}`, line, message });
    const files = filesUnder(dir);
    const ts = files.filter((f) => f.endsWith(".ts"));
    const src = new Map(ts.map((f) => [f, code(readFileSync(join(dir, f), "utf8"))]));
    const read = (f) => src.get(f) ?? "";

    // required-files
    for (const f of ["index.ts", "router.ts", "service.ts", "adapters/repository.ts", "prisma/schema.prisma"]) {
      if (!files.includes(f)) add("required-files", f, `missing ${f}`);
    }
    if (!ts.some((f) => /^domain\/[^/]+\.ts$/.test(f))) add("required-files", "domain/", "no domain/*.ts");

    // allowed-files: the layout is closed, so a file that is none of the table's kinds (a feed
    // writer or a view left at the root, a helper folder) is refused instead of growing a new kind.
    for (const f of files) {
      if (!contextFiles.some((re) => re.test(f))) {
        add("allowed-files", f, `${f} is none of the files of docs/context-guide.md's table`);
      }
    }

    // file-names
    for (const f of ts) {
      const base = f.split("/").pop();
      if (/-repo\.ts$|-(service|services|handlers|router)\.ts$/.test(base)) {
        add("file-names", f, `${base}: name it by its role (repository.ts, service.ts, handlers.ts, router.ts)`);
      } else if (/repository\.ts$/.test(base) && !f.startsWith("adapters/")) {
        add("file-names", f, "a repository lives in adapters/");
      }
    }

    // service-class
    if (src.has("service.ts") && !new RegExp(`export class ${Ctx}Service\\b`).test(read("service.ts"))) {
      add("service-class", "service.ts", `no \`export class ${Ctx}Service\``);
    }

    // service-slot
    if (src.has("router.ts")) {
      const slot = new RegExp(`export const ${ctx}Service = new Slot<${Ctx}Service>\\(`);
      if (!slot.test(read("router.ts"))) {
        add("service-slot", "router.ts", `no \`export const ${ctx}Service = new Slot<${Ctx}Service>(…)\``);
      }
    }
    for (const [f, text] of src) {
      const slots = [...text.matchAll(/new Slot\b/g)];
      if (slots.length > (f === "router.ts" ? 1 : 0)) {
        add("service-slot", f, "one slot per context, in router.ts", lineOf(text, slots.at(-1).index));
      }
    }
    if (src.has("index.ts") && !new RegExp(`\\b${ctx}Service\\.set\\(`).test(read("index.ts"))) {
      add("service-slot", "index.ts", `index.ts does not fill \`${ctx}Service\``);
    }

    // define-context
    if (src.has("index.ts") && !new RegExp(`export const ${ctx}Context = defineContext\\b`).test(read("index.ts"))) {
      add("define-context", "index.ts", `no \`export const ${ctx}Context = defineContext(…)\``);
    }

    // register-handlers
    if (src.has("handlers.ts")) {
      const h = read("handlers.ts");
      const sig = new RegExp(`export function registerHandlers\\(\\s*rt\\s*:[^,()]+,\\s*\\w+\\s*:\\s*${Ctx}Service\\s*\\)`);
      if (!sig.test(h)) add("register-handlers", "handlers.ts", `no \`registerHandlers(rt, …: ${Ctx}Service)\``);
      if (!/\bregisterHandlers\(\s*rt\s*,/.test(read("index.ts"))) {
        add("register-handlers", "index.ts", "index.ts does not call `registerHandlers(rt, service)`");
      }
    }
    for (const [f, text] of src) {
      const m = /function register\w+Handlers\b/.exec(text);
      if (m) add("register-handlers", f, "handlers are set up by `registerHandlers`", lineOf(text, m.index));
    }

    // typed-on
    for (const [f, text] of src) {
      for (const m of text.matchAll(/\bhandlers\s*:\s*/g)) {
        const at = m.index + m[0].length;
        const line = lineOf(text, m.index);
        if (text[at] !== "{") {
          add("typed-on", f, "`handlers` is not an object literal of `on()` entries", line);
          continue;
        }
        for (const e of entries(braced(text, at) ?? "")) {
          if (!/^\w+\s*:\s*on\(/.test(e)) add("typed-on", f, `not an \`on()\` handler: ${e.split("\n")[0]}`, line);
        }
      }
    }

    for (const [f, text] of src) {
      const each = (re, rule, message) => {
        for (const m of text.matchAll(re)) add(rule, f, message(m), lineOf(text, m.index));
      };
      each(/\.data\s+as\s/g, "event-data-cast", () => "a `.data as` cast");
      each(/\bclass\s+(\w+)\s+extends\s+\w*Error\b/g, "error-class", (m) => `error class ${m[1]}`);
      each(/\bTransition\b\s*(?:<[^>]*>)?\s*=|\binterface\s+Transition\b/g, "shared-transition", () =>
        "a `Transition` type of its own",
      );
      each(/["'`]NOT_YET["'`]|\bError\(\s*[`"'][^`"']*retry/gi, "not-yet", () => "\"not yet\" without EventTooEarly");
      const throwing =
        /^(service|router|handlers|index|limits)\.ts$|^[^/]+-saga\.ts$|^domain\//.test(f) && !f.startsWith("adapters/");
      if (throwing) each(/\bnew (?:Error|TRPCError)\(/g, "plain-error", (m) => `\`${m[0]}…)\``);
      if (!f.startsWith("adapters/")) each(prismaCall, "prisma-in-adapters", (m) => `\`${m[0].trim()}\``);
    }
  }
  return found;
}

/**
 * Known departures, per context and per rule, each with why it is allowed for now.
 * An entry that no longer matches a violation fails the check, so the list only shrinks.
 */
export const allowed = {
  notification: {
    // The webhook target refusal is its own error class because node's DNS lookup callback takes
    // an Error (caught inside the adapter, never thrown past it). Left.
    "error-class": "left: TargetRefused inside the adapter",
  },
};

function main() {
  const srcDir = join(fileURLToPath(new URL("../..", import.meta.url)), "packages/api/src");
  const found = checkShape(srcDir);
  const isAllowed = (v) => Boolean(allowed[v.context]?.[v.rule]);
  const failures = found.filter((v) => !isAllowed(v));
  const stale = Object.entries(allowed).flatMap(([ctx, byRule]) =>
    Object.keys(byRule)
      .filter((rule) => !found.some((v) => v.context === ctx && v.rule === rule))
      .map((rule) => `${ctx}: ${rule}`),
  );
  for (const v of failures) {
    console.error(`${v.file}${v.line ? `:${v.line}` : ""}  ${v.rule}: ${v.message}\n    (${rules[v.rule]})`);
  }
  for (const s of stale) console.error(`allowed ${s}: nothing breaks it any more; remove the entry`);
  const held = found.length - failures.length;
  if (failures.length || stale.length) {
    console.error(`context shape: ${failures.length} violations, ${stale.length} stale allowances`);
    process.exit(1);
  }
  console.log(`context shape: every context keeps the shape (${held} known departures allowed, see \`allowed\`)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();

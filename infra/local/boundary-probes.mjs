// Proves every boundary rule of .dependency-cruiser.cjs can fail: writes small probe files that
// break one rule each (and one that breaks none) at the places the rules guard, cruises only
// them, and checks that each probe gets exactly the violations it should. A rule of the config
// that no probe breaks fails this check too, so a new rule comes with its probe.
// The same for the context shape (context-shape.mjs): a copy of the model context (order) must
// keep the shape, and each rule must fire, alone, on a copy broken in one way. And for the tools'
// paths (tool-paths.mjs): each rule fires, alone, on a tool file with a string that breaks it. And
// for eslint's "one PaymentClient" rules (eslint.config.js): they fire on a context's file that
// builds an RpcClient, and not on PaymentClient itself.
//   node infra/local/boundary-probes.mjs          (a check of `npm run lint`)
import { spawn } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { ESLint } from "eslint";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { checkShape, rules as shapeRules } from "./context-shape.mjs";
import { bin, repoRoot } from "./lib.mjs";
import { checkToolPaths, rules as toolPathRules } from "./tool-paths.mjs";

const tag = `boundary-probe-${process.pid}`;
const api = "packages/api/src";

/**
 * Each probe: where it sits, what it imports, and the rules it must break ([]: a clean import;
 * null: not checked on its own).
 */
const probes = [
  { at: `${api}/catalog/${tag}.ts`, imports: ["../order/index.js"], breaks: ["context-to-context"] },
  { at: `${api}/catalog/${tag}-top.ts`, imports: ["../router.js"], breaks: ["context-to-context"] },
  // Its own folder and the platform are fine.
  { at: `${api}/catalog/${tag}-own.ts`, imports: ["./index.js", "../platform/errors.js"], breaks: [] },
  { at: `${api}/platform/${tag}.ts`, imports: ["../web/proxy.js"], breaks: ["platform-to-context-or-web"] },
  {
    at: `${api}/platform/${tag}-ctx.ts`,
    imports: ["../store/index.js"],
    breaks: ["platform-to-context-or-web"],
  },
  // The seed composes a context (index.ts) and calls its commands (service.ts), nothing else of it.
  { at: `${api}/seed/${tag}-ok.ts`, imports: ["../catalog/index.js", "../catalog/service.js"], breaks: [] },
  { at: `${api}/seed/${tag}.ts`, imports: ["../order/router.js"], breaks: ["seed-through-contexts"] },
  {
    at: `${api}/seed/${tag}-gen.ts`,
    imports: ["../catalog/generated/client.js"],
    breaks: ["seed-through-contexts"],
  },
  {
    at: `${api}/seed/${tag}-adapters.ts`,
    imports: ["../catalog/adapters/repository.js"],
    breaks: ["seed-through-contexts"],
  },
  {
    at: `${api}/seed/${tag}-domain.ts`,
    imports: ["../catalog/domain/shop.js"],
    breaks: ["seed-through-contexts"],
  },
  { at: `packages/events/src/${tag}.ts`, imports: ["@baedal/api"], breaks: ["events-to-api"] },
  {
    at: `${api}/platform/${tag}-testing.ts`,
    imports: ["../../testing/index.js"],
    breaks: ["production-to-testing"],
  },
  {
    at: `bench/${tag}.ts`,
    imports: ["../packages/api/src/platform/auth.js"],
    breaks: ["past-exports-of-api", "relative-into-package"],
  },
  {
    at: `chaos/${tag}.ts`,
    imports: ["../packages/events/src/outbox.js"],
    breaks: ["past-exports-of-events", "relative-into-package"],
  },
  // A file the package exports, but by a relative path from outside it.
  { at: `e2e/${tag}.ts`, imports: ["../packages/api/src/client.js"], breaks: ["relative-into-package"] },
  // A subpath the package does not export does not resolve.
  {
    at: `bench/${tag}-subpath.ts`,
    imports: ["@baedal/api/src/platform/auth.js"],
    breaks: ["not-to-unresolvable"],
  },
  // Two modules that import each other (depcruise reports a cycle once, on its first module).
  { at: `${api}/platform/${tag}-a.ts`, imports: [`./${tag}-b.js`], breaks: ["no-circular"] },
  { at: `${api}/platform/${tag}-b.ts`, imports: [`./${tag}-a.js`], breaks: null },
  // The shape's import rules, in a probe context of its own (removed with its folder afterwards).
  { at: `${api}/${tag}/adapters/repository.ts`, imports: ["../generated/client.js"], breaks: [] },
  { at: `${api}/${tag}/generated/client.ts`, imports: [], breaks: null },
  // The service is the one caller of the adapters…
  { at: `${api}/${tag}/service.ts`, imports: ["./adapters/repository.js"], breaks: [] },
  {
    at: `${api}/${tag}/handlers.ts`,
    imports: ["./adapters/repository.js", "./generated/client.js"],
    breaks: ["adapters-only-from-service", "router-handlers-no-prisma"],
  },
  { at: `${api}/${tag}/index.ts`, imports: ["./adapters/repository.js"], breaks: ["adapters-only-from-service"] },
  // …router and handlers see no Prisma, not even its types…
  { at: `${api}/${tag}/router.ts`, imports: ["./generated/client.js"], breaks: ["router-handlers-no-prisma"] },
  // …and the domain is pure.
  { at: `${api}/${tag}/domain/a.ts`, imports: ["../service.js"], breaks: ["domain-is-pure"] },
  { at: `${api}/${tag}/domain/b.ts`, imports: ["../generated/client.js"], breaks: ["domain-is-pure"] },
  { at: `${api}/${tag}/domain/c.ts`, imports: ["./a.js", "@baedal/events", "../../platform/errors.js"], breaks: [] },
  // What the tools should do: no violation.
  {
    at: `bench/${tag}-clean.ts`,
    imports: ["@baedal/api/testing", "@baedal/api/client", "@baedal/events"],
    breaks: [],
  },
];

const configFile = join(repoRoot, ".dependency-cruiser.cjs");
const ruleNames = createRequire(import.meta.url)(configFile).forbidden.map((r) => r.name);

function cruise(files) {
  return new Promise((resolve, reject) => {
    const args = [...files, "--config", configFile, "--output-type", "json"];
    const child = spawn(bin("depcruise"), args, { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.once("error", reject);
    // depcruise exits non-zero when it finds violations, which is the point here.
    child.once("exit", () => {
      try {
        resolve(JSON.parse(out));
      } catch (err) {
        reject(new Error(`depcruise printed no JSON: ${err.message}`));
      }
    });
  });
}

const written = [];
const cleanUp = () => {
  for (const f of written) rmSync(join(repoRoot, f), { recursive: true, force: true });
  rmSync(join(repoRoot, api, tag), { recursive: true, force: true });
};
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => (cleanUp(), process.exit(130)));

let result;
try {
  for (const p of probes) {
    mkdirSync(dirname(join(repoRoot, p.at)), { recursive: true });
    const body = p.imports
      .map((i, n) => `import * as probe${n} from "${i}";\nexport { probe${n} };\n`)
      .join("");
    writeFileSync(
      join(repoRoot, p.at),
      `// ${tag}: written and removed by infra/local/boundary-probes.mjs\n${body}`,
    );
    written.push(p.at);
  }
  result = await cruise(written);
} finally {
  cleanUp();
}

const failures = [];
const fired = new Set();
for (const p of probes.filter((p) => p.breaks)) {
  const got = [
    ...new Set((result.summary?.violations ?? []).filter((v) => v.from === p.at).map((v) => v.rule.name)),
  ].sort();
  got.forEach((r) => fired.add(r));
  const want = [...p.breaks].sort();
  if (got.join() !== want.join()) {
    failures.push(`${p.at} (imports ${p.imports.join(", ")}): expected [${want}], got [${got}]`);
  }
}
for (const name of ruleNames) if (!fired.has(name)) failures.push(`rule ${name}: no probe breaks it`);

// ── The context shape (context-shape.mjs): the model context kept, then broken one rule at a time.
const model = join(repoRoot, api, "order");
const append = (text) => (f) => appendFileSync(f, `\n${text}\n`);
const replace = (from, to) => (f) => {
  const before = readFileSync(f, "utf8");
  if (!before.includes(from)) throw new Error(`shape probe: ${f} no longer contains ${from}; update the probe`);
  writeFileSync(f, before.replace(from, to));
};
/** Each shape probe: the rule it must break (alone), the file of the copy it edits, and the edit. */
const shapeProbes = [
  { breaks: "required-files", file: "service.ts", edit: (f) => rmSync(f) },
  // A file of no kind of the table: at the root (a feed writer or a view beside the service), or
  // in a folder of its own.
  { breaks: "allowed-files", file: "board-feed.ts", edit: (f) => writeFileSync(f, "export {};\n") },
  {
    breaks: "allowed-files",
    file: "adapters/feeds/board.ts",
    edit: (f) => (mkdirSync(dirname(f), { recursive: true }), writeFileSync(f, "export {};\n")),
  },
  { breaks: "file-names", file: "adapters/attempt-repo.ts", edit: (f) => writeFileSync(f, "export {};\n") },
  { breaks: "service-class", file: "service.ts", edit: replace("export class OrderService ", "export class Orders ") },
  {
    breaks: "service-slot",
    file: "router.ts",
    edit: replace("export const orderService = new Slot", "export const ordersSlot = new Slot"),
  },
  { breaks: "define-context", file: "index.ts", edit: replace("export const orderContext =", "export const order =") },
  {
    breaks: "register-handlers",
    file: "handlers.ts",
    edit: replace("export function registerHandlers(", "export function registerOrderHandlers("),
  },
  { breaks: "typed-on", file: "handlers.ts", edit: replace("TicketRejected: on(", "TicketRejected: plain(") },
  {
    breaks: "event-data-cast",
    file: "service.ts",
    edit: append("export const probe = (event: { data: unknown }) => event.data as { orderId: string };"),
  },
  { breaks: "error-class", file: "domain/order.ts", edit: append("export class OrderFailed extends Error {}") },
  {
    breaks: "plain-error",
    file: "service.ts",
    edit: append('export const probe = () => {\n  throw new Error("boom");\n};'),
  },
  {
    breaks: "not-yet",
    file: "service.ts",
    edit: append('export const probe = () => new DomainError("CONFLICT", "not here yet", "NOT_YET");'),
  },
  { breaks: "shared-transition", file: "domain/order.ts", edit: append("export type Transition = { state: Order };") },
  {
    breaks: "prisma-in-adapters",
    file: "handlers.ts",
    edit: append("export const probe = (tx: Tx) => tx.order.findMany({});"),
  },
];
const shapeDir = mkdtempSync(join(tmpdir(), "context-shape-probe-"));
try {
  const copy = () => {
    const src = join(shapeDir, "src");
    rmSync(src, { recursive: true, force: true });
    cpSync(model, join(src, "order"), {
      recursive: true,
      filter: (from) => !/[/\\](generated|migrations)$/.test(from),
    });
    return src;
  };
  const rulesOf = (src) => [...new Set(checkShape(src).map((v) => v.rule))].sort();
  const clean = rulesOf(copy());
  if (clean.length) failures.push(`shape: the model context (order) breaks [${clean}]`);
  const shapeFired = new Set();
  for (const p of shapeProbes) {
    const src = copy();
    p.edit(join(src, "order", p.file));
    const got = rulesOf(src);
    got.forEach((r) => shapeFired.add(r));
    if (got.join() !== p.breaks) failures.push(`shape probe ${p.breaks} (${p.file}): got [${got}]`);
  }
  for (const name of Object.keys(shapeRules)) {
    if (!shapeFired.has(name)) failures.push(`shape rule ${name}: no probe breaks it`);
  }
} finally {
  rmSync(shapeDir, { recursive: true, force: true });
}

// ── The tools' paths (tool-paths.mjs): a file in each tool folder with one string that breaks one
// rule, and one whose paths are fine (a path in a comment, an app's own folder, a package export).
const toolProbes = [
  {
    at: `bench/${tag}-path.ts`,
    text: 'export const probe = (apiDir: string) => ["--import", "tsx", `${apiDir}/src/main.ts`];',
    breaks: "package-insides",
  },
  { at: `e2e/${tag}-path.ts`, text: 'export const probe = ["packages", "api"];', breaks: "package-folder" },
  { at: `chaos/${tag}-path.mjs`, text: 'export const probe = "apps/web/.next/BUILD_ID";', breaks: "inside-app" },
  {
    at: `bench/${tag}-path-ok.ts`,
    text: '// packages/api/src/main.ts, named in a comment\nexport const probe = ["apps/web", "@baedal/api/build"];',
    breaks: "",
  },
];
// A workspace's script that starts another package's file by path (as the apps once did).
const scriptProbe = {
  at: `e2e/${tag}/package.json`,
  text: JSON.stringify({ scripts: { start: "node ../../packages/api/src/web/serve-next.mjs" } }),
  breaks: "package-folder",
};
try {
  for (const p of toolProbes) {
    writeFileSync(join(repoRoot, p.at), `// ${tag}: written and removed by infra/local/boundary-probes.mjs\n${p.text}\n`);
    written.push(p.at);
  }
  mkdirSync(dirname(join(repoRoot, scriptProbe.at)), { recursive: true });
  writeFileSync(join(repoRoot, scriptProbe.at), scriptProbe.text);
  written.push(scriptProbe.at, dirname(scriptProbe.at));
  toolProbes.push(scriptProbe);
  const found = checkToolPaths(repoRoot);
  const toolFired = new Set();
  for (const p of toolProbes) {
    const got = [...new Set(found.filter((v) => v.file === p.at).map((v) => v.rule))].sort().join();
    if (got) toolFired.add(got);
    if (got !== p.breaks) failures.push(`tool-path probe ${p.at}: expected [${p.breaks}], got [${got}]`);
  }
  for (const name of Object.keys(toolPathRules)) {
    if (!toolFired.has(name)) failures.push(`tool-path rule ${name}: no probe breaks it`);
  }
} finally {
  cleanUp();
}

// ── One PaymentClient (eslint.config.js): eslint lints each text as if it were at `at` (nothing is
// written); the rules it must break, of the two that keep the one client.
const paymentClient = "packages/events/src/rpc-contracts/payment-client.ts";
const oneClientRules = ["@typescript-eslint/no-restricted-imports", "no-restricted-syntax"];
const eslintProbes = [
  {
    at: `${api}/order/${tag}.ts`,
    text:
      'import { paymentRpc, RpcClient, type Messaging } from "@baedal/events";\n' +
      'export const probe = (m: Messaging) => new RpcClient(m, "payment", paymentRpc);\n',
    breaks: oneClientRules,
  },
  {
    at: `${api}/store/${tag}.ts`,
    text:
      'import * as events from "@baedal/events";\n' +
      'export const probe = (m: events.Messaging) => new events.RpcClient(m, "payment", events.paymentRpc);\n',
    breaks: oneClientRules,
  },
  // Its type is fine, and so is PaymentClient itself.
  {
    at: `${api}/delivery/${tag}.ts`,
    text: 'import type { RpcClient } from "@baedal/events";\nexport type Probe = RpcClient<never>;\n',
    breaks: [],
  },
  { at: paymentClient, text: readFileSync(join(repoRoot, paymentClient), "utf8"), breaks: [] },
];
const eslint = new ESLint({ cwd: repoRoot });
for (const p of eslintProbes) {
  const [result] = await eslint.lintText(p.text, { filePath: join(repoRoot, p.at) });
  const got = [...new Set(result.messages.map((m) => m.ruleId).filter((r) => oneClientRules.includes(r)))];
  if (got.sort().join() !== [...p.breaks].sort().join()) {
    failures.push(`eslint probe ${p.at}: expected [${p.breaks}], got [${got}]`);
  }
}

if (failures.length) {
  console.error(`boundary probes: ${failures.length} wrong\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log(
  `boundary probes: all ${ruleNames.length} import rules, ${Object.keys(shapeRules).length} shape rules, ` +
    `${Object.keys(toolPathRules).length} tool-path rules and eslint's one-PaymentClient rules fire on ` +
    "their probes; the clean probes pass",
);

// Import boundaries, checked by `npm run lint` (infra/local/lint.mjs → `depcruise`). Each rule says
// which wall it keeps; infra/local/boundary-probes.mjs proves every rule fires on a file that breaks
// it. What an import graph cannot see is checked beside it: the shape of a context
// (infra/local/context-shape.mjs) and the paths into a package that the tools build as strings
// (infra/local/tool-paths.mjs).
//
const { readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

// A context is every folder of packages/api/src/ except the shared ones named here.
const shared = "platform|web|seed";
const src = "^packages/api/src/";
const context = `${src}(?!(?:${shared})/)([^/]+)/`;

/** Every package under packages/ with the files its package.json `exports` point at (as path regexes). */
const packages = readdirSync(join(__dirname, "packages")).map((name) => {
  const { exports } = JSON.parse(readFileSync(join(__dirname, "packages", name, "package.json"), "utf8"));
  const targets = (e) => (typeof e === "string" ? [e] : Object.values(e ?? {}).flatMap(targets));
  const exportTargets = targets(exports).map(
    (t) => `^packages/${name}/${t.replace(/^\.\//, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`,
  );
  return { name, exportTargets };
});

/**
 * Known departures from the shape's import rules, per rule: the files allowed to break it for now,
 * each with why (none today).
 */
const shapeDepartures = {};
function shapeAllowed(rule) {
  return Object.keys(shapeDepartures[rule] ?? {});
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "context-to-context",
      comment:
        "A context never imports another context's folder: it talks through @baedal/events contracts " +
        "or a declared request/reply client (docs/context-guide.md).",
      severity: "error",
      from: { path: context },
      // …nor the composition files that import every context (router.ts, contexts.ts, index.ts…).
      to: { path: [`${src}(?!(?:${shared})/)[^/]+/`, `${src}[^/]+$`], pathNot: `${src}$1/` },
    },
    {
      name: "platform-to-context-or-web",
      comment:
        "platform/ is what every context stands on: it imports no context, no web/ (the Next apps' side) " +
        "and none of the composition files at the top of src/ (contexts.ts, router.ts, main.ts…).",
      severity: "error",
      from: { path: `${src}platform/` },
      to: { path: src, pathNot: `${src}platform/` },
    },
    {
      name: "seed-through-contexts",
      comment:
        "The seed goes through each context's own commands. It is a composition root, like main.ts: " +
        "it may import a context's index.ts (to compose it) and service.ts (to call its commands), " +
        "nothing else of it — never its generated Prisma client, adapters/ or domain/, and it writes " +
        "no outbox of its own.",
      severity: "error",
      from: { path: `${src}seed/` },
      to: {
        path: `${src}(?!(?:${shared})/)[^/]+/`,
        pathNot: `${src}(?!(?:${shared})/)[^/]+/(index|service)\\.ts$`,
      },
    },
    // The shape of a context (docs/context-guide.md): its imports. infra/local/context-shape.mjs
    // checks the rest (file names, typed handlers, one error type).
    {
      name: "adapters-only-from-service",
      comment:
        "A context's adapters (repository, gateways, clients) are called by its service only — and by a " +
        "saga the service drives (order/checkout-saga.ts) — and by each other: router, handlers, domain " +
        "and index reach them through the service.",
      severity: "error",
      from: {
        path: context,
        pathNot: [`${src}[^/]+/(service\\.ts|[^/]+-saga\\.ts|adapters/)`, ...shapeAllowed("adapters-only-from-service")],
      },
      to: { path: `${src}$1/adapters/` },
    },
    {
      name: "router-handlers-no-prisma",
      comment:
        "router.ts and handlers.ts only call the service: they do not import the context's generated " +
        "Prisma client, not even a type (context-shape.mjs also refuses Prisma queries outside adapters/).",
      severity: "error",
      from: { path: `${context}(router|handlers)\\.ts$`, pathNot: shapeAllowed("router-handlers-no-prisma") },
      to: { path: `${src}$1/generated/` },
    },
    {
      name: "domain-is-pure",
      comment:
        "domain/ is pure state transitions: it imports no adapter, no generated Prisma client, and none " +
        "of the context's own service, router, handlers or index.",
      severity: "error",
      from: { path: `${context}domain/` },
      to: { path: [`${src}$1/(adapters|generated)/`, `${src}$1/[^/]+\\.ts$`] },
    },
    {
      name: "events-to-api",
      comment: "@baedal/events is below the API: the contracts and plumbing know nothing of the contexts.",
      severity: "error",
      from: { path: "^packages/events/" },
      to: { path: "^packages/api/" },
    },
    {
      name: "production-to-testing",
      comment:
        "Test and load tooling (packages/api/testing: issueToken, the secret scan) and the tests never " +
        "ship: production source does not import them.",
      severity: "error",
      from: { path: `${src}` },
      to: { path: "^packages/api/(testing|test)/" },
    },
    // One rule per package: from outside it, only the files its `exports` name are reachable.
    ...packages.map(({ name, exportTargets }) => ({
      name: `past-exports-of-${name}`,
      comment:
        `Outside packages/${name}, only its package.json \`exports\` are reachable (e.g. @baedal/api/testing, ` +
        "never ../packages/api/src/…). Add an export for what a tool legitimately needs.",
      severity: "error",
      from: { pathNot: `^packages/${name}/` },
      to: { path: `^packages/${name}/`, pathNot: exportTargets },
    })),
    {
      name: "relative-into-package",
      comment:
        "A package is reached by its name (@baedal/api/client), never by a relative path from outside it, " +
        "even to a file it exports.",
      severity: "error",
      from: { path: "^(?!packages/)|^packages/([^/]+)/" },
      to: {
        path: "^packages/",
        pathNot: "^packages/$1/",
        dependencyTypes: ["local"],
        dependencyTypesNot: ["aliased"],
      },
    },
    {
      name: "not-to-unresolvable",
      comment:
        "An import that does not resolve: a typo, a package that is not installed, or a subpath a package " +
        "does not export.",
      severity: "error",
      from: {},
      // The Next apps' `@/…` is their own tsconfig alias (each app its own): not followed here.
      to: { couldNotResolve: true, pathNot: "^@/" },
    },
    {
      name: "no-circular",
      comment: "Modules that import each other, directly or round a loop.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Prisma's generated clients are in the graph (an import of one is checked) but not walked.
    doNotFollow: { path: ["node_modules", "/generated/"] },
    exclude: {
      path: "(^|/)(node_modules|dist|\\.next|\\.turbo|coverage|test-results|playwright-report|\\.local)/",
    },
    // Type-only imports count: a type from another context couples the two just the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".tsx", ".mts", ".js", ".mjs", ".cjs", ".d.ts", ".d.mts", ".json"],
    },
    skipAnalysisNotInRules: true,
  },
};

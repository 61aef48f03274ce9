// Validates the Kubernetes manifests offline: renders each kustomization with `kubectl kustomize`
// and checks every object three ways.
//   1. Schema: the Kubernetes OpenAPI schemas as compiled by `kubernetes-models` (types,
//      required fields, formats); custom resources against the JSON Schemas in ./schemas.
//   2. Unknown fields: the same models' TypeScript declarations, through the TypeScript compiler's
//      excess-property check, so `livenessProbes:` or a misplaced key fails (kubeconform -strict).
//   3. Baedal's rules (./policy.mjs): probes, resources, zero-downtime rollouts, autoscalers,
//      disruption budgets, and that every Service, ConfigMap and Secret referenced exists.
// Usage: node infra/k8s/validate.mjs [kustomization dir...]   (default: base and every overlay)
// Exit code 1 and one line per problem when anything is wrong. Runs in `npm test` through
// packages/api/test/unit/k8s/manifests.test.ts.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { policyProblems } from "./policy.mjs";

export const k8sDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(k8sDir, "../..");
// The validator's libraries are devDependencies of @baedal/api, whose test suite runs it.
const apiDir = join(repoRoot, "packages/api");
const requireFromApi = createRequire(join(apiDir, "package.json"));
const YAML = requireFromApi("yaml");
const Ajv = requireFromApi("ajv").default;
const ts = requireFromApi("typescript");

/** Every kustomization worth validating: the base and each overlay. */
export function kustomizations() {
  const overlays = join(k8sDir, "overlays");
  return [
    join(k8sDir, "base"),
    ...readdirSync(overlays)
      .map((d) => join(overlays, d))
      .filter((d) => existsSync(join(d, "kustomization.yaml"))),
  ];
}

/** kubectl's built-in kustomize (v5 since kubectl 1.27); override with KUBECTL=/path/to/kubectl. */
let kubectlPath;
function kubectl() {
  if (kubectlPath) return kubectlPath;
  const candidates = [process.env.KUBECTL, "kubectl", "/usr/lib/google-cloud-sdk/bin/kubectl"].filter(
    Boolean,
  );
  for (const c of candidates) {
    try {
      execFileSync(c, ["version", "--client"], { stdio: "ignore" });
      return (kubectlPath = c);
    } catch {
      // try the next one
    }
  }
  throw new Error(
    "kubectl not found: the manifests are rendered with `kubectl kustomize` (kubectl >= 1.27). " +
      "Install kubectl or set KUBECTL to its path.",
  );
}

/** Renders a kustomization offline; throws with kustomize's message when it cannot. */
export function render(dir) {
  try {
    return execFileSync(kubectl(), ["kustomize", dir], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (err) {
    const why = String(err.stderr || err.message).trim();
    throw new Error(`kustomize failed for ${relative(repoRoot, dir)}: ${why}`);
  }
}

/** The objects of a multi-document YAML stream (empty documents dropped). */
export function parseDocuments(text) {
  return YAML.parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(`YAML: ${d.errors[0].message}`);
      return d.toJSON();
    })
    .filter((o) => o && typeof o === "object");
}

export const describe = (o) => `${o?.kind ?? "?"}/${o?.metadata?.name ?? "?"}`;

// ---------------------------------------------------------------------------------------------
// 1. Schemas

const crdSchemas = new Map(); // "group/version/Kind" → compiled ajv validator
const ajv = new Ajv({ allErrors: true, strict: false });
for (const f of readdirSync(join(k8sDir, "schemas")).filter((f) => f.endsWith(".json"))) {
  // File name: <group>_<version>_<Kind>.json
  const [group, version, kind] = f.replace(/\.json$/, "").split("_");
  crdSchemas.set(
    `${group}/${version}/${kind}`,
    ajv.compile(JSON.parse(readFileSync(join(k8sDir, "schemas", f), "utf8"))),
  );
}

/** The kubernetes-models module of a built-in kind, e.g. apps/v1 Deployment → "apps/v1/Deployment". */
const modelPath = (o) => `${o.apiVersion}/${o.kind}`;

function loadModel(o) {
  try {
    return requireFromApi(`kubernetes-models/${modelPath(o)}`)[o.kind];
  } catch {
    return undefined;
  }
}

function schemaProblems(o) {
  if (typeof o.apiVersion !== "string" || typeof o.kind !== "string") return ["no apiVersion/kind"];
  const crd = crdSchemas.get(`${o.apiVersion}/${o.kind}`);
  if (crd) {
    return crd(o)
      ? []
      : crd.errors.map((e) => `${e.instancePath || "/"} ${e.message}${paramsText(e.params)}`);
  }
  const Model = loadModel(o);
  if (!Model) return [`no schema for ${o.apiVersion} ${o.kind} (add one to infra/k8s/schemas)`];
  try {
    new Model(o).validate();
    return [];
  } catch (err) {
    return (err.errors ?? [{ instancePath: "", message: err.message }]).map(
      (e) => `${e.instancePath || "/"} ${e.message}${paramsText(e.params)}`,
    );
  }
}

function paramsText(params = {}) {
  if (params.additionalProperty) return `: ${params.additionalProperty}`;
  if (params.allowedValues) return `: ${params.allowedValues.join(", ")}`;
  if (params.allowedValue !== undefined) return `: ${params.allowedValue}`;
  return "";
}

// ---------------------------------------------------------------------------------------------
// 2. Unknown fields, through TypeScript's excess-property check on kubernetes-models' types

/**
 * One virtual module per object, `const o: I<Kind> = <object>`, type-checked in one program.
 * Returns the problems per object index.
 */
function unknownFieldProblems(objects) {
  const files = new Map();
  objects.forEach((o, i) => {
    if (crdSchemas.has(`${o.apiVersion}/${o.kind}`) || !loadModel(o)) return;
    const name = join(apiDir, `__k8s_${i}.ts`);
    files.set(name, {
      index: i,
      text: `import type { I${o.kind} } from "kubernetes-models/${modelPath(o)}";\nexport const o: I${o.kind} = ${JSON.stringify(o, null, 1)};\n`,
    });
  });
  const options = {
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (f) => files.has(f) || ts.sys.fileExists(f);
  host.readFile = (f) => files.get(f)?.text ?? readFile(f);
  host.getSourceFile = (f, lang, ...rest) =>
    files.has(f) ? ts.createSourceFile(f, files.get(f).text, lang, true) : getSourceFile(f, lang, ...rest);
  const program = ts.createProgram([...files.keys()], options, host);
  const problems = new Map();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file && files.get(d.file.fileName);
    if (!file) throw new Error(`TypeScript: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
    const path = jsonPathAt(d.file, d.start);
    const list = problems.get(file.index) ?? [];
    list.push(`${path} ${shorten(text)}`);
    problems.set(file.index, list);
  }
  return problems;
}

/** The JSON path of the property at `pos` in a virtual module, for a readable message. */
function jsonPathAt(sourceFile, pos) {
  const parts = [];
  const visit = (node) => {
    if (pos < node.getStart(sourceFile) || pos >= node.getEnd()) return;
    if (ts.isPropertyAssignment(node)) parts.push(node.name.getText(sourceFile).replace(/^"|"$/g, ""));
    if (ts.isArrayLiteralExpression(node)) {
      const idx = node.elements.findIndex((e) => pos >= e.getStart(sourceFile) && pos < e.getEnd());
      if (idx >= 0) parts.push(String(idx));
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return `/${parts.join("/")}`;
}

const shorten = (msg) =>
  msg.replace(
    /Object literal may only specify known properties, and ('|")?"?([^'"]+)"?('|")? does not exist in type '([^']+)'.*/,
    'unknown field "$2" (not in $4)',
  );

// ---------------------------------------------------------------------------------------------

/** Every problem of one rendered set of objects, as "<Kind>/<name>: <what>". */
export function validateObjects(objects) {
  return validateObjectSets([objects])[0];
}

/** Like validateObjects for several sets at once: one TypeScript program for all of them. */
function validateObjectSets(sets) {
  const all = sets.flat();
  const strict = unknownFieldProblems(all);
  let offset = 0;
  return sets.map((objects) => {
    const problems = [];
    objects.forEach((o, i) => {
      for (const p of schemaProblems(o)) problems.push(`${describe(o)}: ${p}`);
      for (const p of strict.get(offset + i) ?? []) problems.push(`${describe(o)}: ${p}`);
    });
    offset += objects.length;
    problems.push(...policyProblems(objects));
    return problems;
  });
}

/** Renders and validates kustomizations; returns { dir, objects, problems } for each. */
export function validateKustomizations(dirs = kustomizations()) {
  const rendered = dirs.map((dir) => {
    try {
      return { dir, objects: parseDocuments(render(dir)), problems: [] };
    } catch (err) {
      return { dir, objects: [], problems: [err.message] };
    }
  });
  const results = validateObjectSets(rendered.map((r) => r.objects));
  return rendered.map((r, i) => ({ ...r, problems: [...r.problems, ...results[i]] }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dirs = process.argv.length > 2 ? process.argv.slice(2).map((d) => resolve(d)) : undefined;
  let failed = 0;
  for (const r of validateKustomizations(dirs)) {
    const name = relative(repoRoot, r.dir);
    if (r.problems.length === 0) console.log(`ok    ${name} (${r.objects.length} objects)`);
    else {
      failed += r.problems.length;
      console.log(`FAIL  ${name}`);
      for (const p of r.problems) console.log(`      ${p}`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

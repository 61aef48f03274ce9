// The Kubernetes manifests (infra/k8s), validated offline: rendered with `kubectl kustomize`,
// checked against the Kubernetes schemas (unknown fields included), the vendored CloudNativePG
// schema and Baedal's deployment rules (infra/k8s/validate.mjs). Broken fixtures prove that the
// validation fails when it should.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { contextNames } from "../../../src/platform/config.js";
import {
  k8sDir,
  parseDocuments,
  validateKustomizations,
  validateObjects,
  type K8sObject,
  type KustomizationResult,
} from "../../../../../infra/k8s/validate.mjs";

const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url));
const find = (objects: K8sObject[], kind: string, name: string) => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} is not rendered`);
  return o;
};
const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);

let results: Record<"base" | "local" | "production", KustomizationResult>;

beforeAll(() => {
  const [base, local, production] = validateKustomizations(
    ["base", "overlays/local", "overlays/production"].map((d) => join(k8sDir, d)),
  );
  results = { base: base!, local: local!, production: production! };
}, 180_000);

describe("infra/k8s manifests", () => {
  it.each(["base", "local", "production"] as const)("%s renders and passes every check", (name) => {
    const r = results[name];
    expect(r.problems).toEqual([]);
    expect(r.objects.length).toBeGreaterThan(50);
  });

  it("runs each context as its own Deployment, entry point argument = context name", () => {
    const { objects } = results.production;
    for (const ctx of contextNames) {
      const d = find(objects, "Deployment", `api-${ctx}`);
      const c = d.spec.template.spec.containers[0];
      expect(c.args).toEqual([ctx]);
      expect(c.image).toMatch(/\/baedal\/api:/);
      // The migrator runs before the context serves (init container, same image).
      expect(d.spec.template.spec.initContainers[0].command.join(" ")).toContain("packages/api/dist/migrate-cli.js");
    }
    expect(
      byKind(objects, "Deployment")
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual([...contextNames.map((c) => `api-${c}`), "app-shop-console", "app-web"].sort());
  });

  it("gives the Next apps an API_URL_<CONTEXT> for every context, pointing at its Service", () => {
    const { objects } = results.production;
    const urls = objects.find(
      (o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("baedal-api-urls"),
    )!;
    expect(Object.keys(urls.data!).sort()).toEqual(
      contextNames.map((c) => `API_URL_${c.toUpperCase()}`).sort(),
    );
    for (const ctx of contextNames) {
      const service = find(objects, "Service", new URL(urls.data![`API_URL_${ctx.toUpperCase()}`]!).hostname);
      expect(service.spec.ports[0].port).toBe(80);
      expect(service.spec.selector["app.kubernetes.io/instance"]).toBe(ctx);
    }
  });

  it("configures every process for the cluster: listen on all interfaces, NATS, Postgres from the operator's Secret", () => {
    const { objects } = results.production;
    const config = objects.find(
      (o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("baedal-config"),
    )!;
    expect(config.data).toMatchObject({
      HOST: "0.0.0.0",
      PORT: "8080",
      NATS_URL: "nats://nats:4222",
      BAEDAL_STREAM_REPLICAS: "3",
    });
    expect(config.data!.ALLOWED_ORIGINS).toMatch(/^https:\/\//);
    const cluster = find(objects, "Cluster", "baedal-pg");
    for (const d of byKind(objects, "Deployment").filter((d) => d.metadata.name.startsWith("api-"))) {
      for (const c of [...d.spec.template.spec.initContainers, ...d.spec.template.spec.containers]) {
        const env = Object.fromEntries(c.env.map((e: { name: string }) => [e.name, e]));
        expect(env.DATABASE_URL.valueFrom.secretKeyRef).toEqual({
          name: `${cluster.metadata.name}-app`,
          key: "uri",
        });
      }
      // The serving container gets the secrets from `baedal-secrets`; the migrator needs none.
      for (const c of d.spec.template.spec.containers) {
        const env = Object.fromEntries(c.env.map((e: { name: string }) => [e.name, e]));
        for (const key of ["AUTH_SECRET", "METRICS_TOKEN"])
          expect(env[key].valueFrom.secretKeyRef).toEqual({ name: "baedal-secrets", key });
      }
      for (const c of d.spec.template.spec.initContainers)
        expect(c.env.map((e: { name: string }) => e.name)).toEqual(["DATABASE_URL"]);
    }
  });

  it("production: three Postgres instances bootstrapping `baedal`, autoscaling from 2, TLS ingress", () => {
    const { objects } = results.production;
    const cluster = find(objects, "Cluster", "baedal-pg");
    expect(cluster.spec.instances).toBe(3);
    expect(cluster.spec.bootstrap.initdb).toMatchObject({ database: "baedal", owner: "baedal" });
    for (const hpa of byKind(objects, "HorizontalPodAutoscaler"))
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const ingress = find(objects, "Ingress", "baedal");
    expect(ingress.spec.tls[0].secretName).toBe("baedal-tls");
    expect(objects.every((o) => o.kind === "Namespace" || o.metadata.namespace === "baedal")).toBe(true);
  });

  it("local: one pod per workload, one Postgres instance, NodePorts, demo data", () => {
    const { objects } = results.local;
    for (const hpa of byKind(objects, "HorizontalPodAutoscaler")) {
      expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([1, 1]);
    }
    expect(find(objects, "Cluster", "baedal-pg").spec.instances).toBe(1);
    expect(find(objects, "Service", "app-web").spec).toMatchObject({
      type: "NodePort",
      ports: [{ nodePort: 30000 }],
    });
    expect(find(objects, "Service", "app-shop-console").spec).toMatchObject({
      type: "NodePort",
      ports: [{ nodePort: 30001 }],
    });
    expect(find(objects, "Job", "seed").spec.template.spec.containers[0].command.join(" ")).toContain(
      "packages/api/dist/seed.js",
    );
    expect(
      byKind(objects, "Deployment").every((d) => d.spec.template.spec.containers[0].image.endsWith(":dev")),
    ).toBe(true);
  });

  it("NATS Helm values: a three-server JetStream cluster on persistent volumes", () => {
    const values = YAML.parse(readFileSync(join(k8sDir, "nats/values.yaml"), "utf8"));
    expect(values.config.cluster).toMatchObject({ enabled: true, replicas: 3 });
    expect(values.config.jetstream).toMatchObject({
      enabled: true,
      fileStore: { enabled: true, pvc: { enabled: true } },
    });
    const local = YAML.parse(readFileSync(join(k8sDir, "nats/values-local.yaml"), "utf8"));
    expect(local.config.cluster.enabled).toBe(false);
  });
});

describe("infra/k8s validation fails on broken manifests", () => {
  it("reports schema errors, unknown fields, missing references and committed Secrets", () => {
    const objects = parseDocuments(readFileSync(join(fixtures, "broken-manifest.yaml"), "utf8"));
    const problems = validateObjects(objects);
    expect(problems).toEqual(
      expect.arrayContaining([
        "Deployment/worker: /spec/template/spec/containers/0 must have required property name",
        "Deployment/worker: /spec/template/spec/containers/0/ports/0/containerPort must be integer",
        "Deployment/worker: pod must set securityContext.runAsNonRoot: true",
        "Deployment/worker: container #1 needs readinessProbe httpGet /readyz",
        "Deployment/worker: no HorizontalPodAutoscaler targets it",
        "Service/worker: selects no Deployment's pods",
        "Secret/leaked: Secrets must not come from the repository (create it in the cluster)",
        "Ingress/site: example.com/ goes to missing Service nowhere",
        "Widget/unknown-kind: no schema for example.com/v1 Widget (add one to infra/k8s/schemas)",
      ]),
    );
  });

  it("reports each mistake patched into the real base", () => {
    const [r] = validateKustomizations([join(fixtures, "broken-overlay")]);
    expect(r!.objects.length).toBeGreaterThan(50); // it rendered: the failures are the mistakes
    expect(r!.problems.sort()).toEqual(
      [
        'Deployment/api-order: /spec/template/spec/containers/0/livenessProbes unknown field "livenessProbes" (not in IContainer)',
        "Deployment/api-order: rollout must be RollingUpdate with maxUnavailable: 0",
        "Deployment/api-order: container api needs livenessProbe httpGet /healthz",
        "Deployment/api-order: container api needs readinessProbe httpGet /readyz",
        "HorizontalPodAutoscaler/api-payment: /spec/maxReplicas must be integer",
        "HorizontalPodAutoscaler/api-payment: /spec/maxReplicas Type 'string' is not assignable to type 'number'.",
        "Cluster/baedal-pg: /spec must NOT have additional properties: instancs",
        "Deployment/app-web: container app env API_TOKEN reads unknown Secret web-token",
      ].sort(),
    );
  }, 120_000);

  it("reports a kustomization that does not render", () => {
    const [r] = validateKustomizations([join(fixtures, "unrenderable")]);
    expect(r!.problems).toHaveLength(1);
    expect(r!.problems[0]).toMatch(/^kustomize failed for .*unrenderable: .*missing\.yaml/);
  });
});

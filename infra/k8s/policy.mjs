// Baedal's deployment rules, checked on the rendered objects of one kustomization (validate.mjs).
// A schema says an object is well-formed; these say the deployment is what we promise:
// health-checked, bounded in resources, rolled without downtime, autoscaled, drain-safe, and
// wired to Services, ConfigMaps and Secrets that exist. Secret values are never committed.

const name = (o) => o.metadata?.name;
const describe = (o) => `${o.kind}/${name(o)}`;
const matches = (selector = {}, labels = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Secrets that are created outside this repository, by name, with who creates them. */
function externalSecrets(objects) {
  const known = new Map([["baedal-secrets", "kubectl create secret (README: Deploying)"]]);
  for (const o of objects) {
    // CloudNativePG generates <cluster>-app for the owner of the bootstrap database.
    if (o.kind === "Cluster" && o.apiVersion === "postgresql.cnpg.io/v1")
      known.set(`${name(o)}-app`, "CloudNativePG");
    // TLS certificates come from cert-manager or `kubectl create secret tls`.
    if (o.kind === "Ingress")
      for (const t of o.spec?.tls ?? []) if (t.secretName) known.set(t.secretName, "TLS");
  }
  return known;
}

function podProblems(owner, pod, { objects, secrets }) {
  const problems = [];
  const say = (msg) => problems.push(`${describe(owner)}: ${msg}`);
  const spec = pod.spec ?? {};
  if (spec.securityContext?.runAsNonRoot !== true) say("pod must set securityContext.runAsNonRoot: true");
  const configMaps = new Set(objects.filter((o) => o.kind === "ConfigMap").map(name));
  const renderedSecrets = new Set(objects.filter((o) => o.kind === "Secret").map(name));
  const secretExists = (n) => renderedSecrets.has(n) || secrets.has(n);
  for (const [i, c] of [...(spec.initContainers ?? []), ...(spec.containers ?? [])].entries()) {
    const where = `container ${c.name ?? `#${i + 1}`}`;
    for (const r of ["cpu", "memory"]) {
      if (!c.resources?.requests?.[r]) say(`${where} has no ${r} request`);
      if (r === "memory" && !c.resources?.limits?.[r]) say(`${where} has no memory limit`);
    }
    if (c.securityContext?.allowPrivilegeEscalation !== false)
      say(`${where} must set allowPrivilegeEscalation: false`);
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef && !configMaps.has(from.configMapRef.name))
        say(`${where} reads missing ConfigMap ${from.configMapRef.name}`);
      if (from.secretRef && !secretExists(from.secretRef.name))
        say(`${where} reads unknown Secret ${from.secretRef.name}`);
    }
    for (const e of c.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef;
      const sec = e.valueFrom?.secretKeyRef;
      if (cm && !configMaps.has(cm.name)) say(`${where} env ${e.name} reads missing ConfigMap ${cm.name}`);
      if (sec && !secretExists(sec.name)) say(`${where} env ${e.name} reads unknown Secret ${sec.name}`);
    }
  }
  return problems;
}

function deploymentProblems(d, ctx) {
  const problems = podProblems(d, d.spec?.template ?? {}, ctx);
  const say = (msg) => problems.push(`${describe(d)}: ${msg}`);
  const spec = d.spec ?? {};
  const pod = spec.template?.spec ?? {};
  const podLabels = spec.template?.metadata?.labels ?? {};

  // Zero-downtime rollouts.
  if (spec.strategy?.type !== "RollingUpdate" || spec.strategy?.rollingUpdate?.maxUnavailable !== 0) {
    say("rollout must be RollingUpdate with maxUnavailable: 0");
  }
  if (!matches(spec.selector?.matchLabels, podLabels))
    say("selector does not match the pod template's labels");

  for (const [i, c] of (pod.containers ?? []).entries()) {
    const where = `container ${c.name ?? `#${i + 1}`}`;
    const ports = new Set((c.ports ?? []).flatMap((p) => [p.name, p.containerPort]));
    const probe = (kind, path) => {
      const p = c[kind]?.httpGet;
      if (!p || p.path !== path) return say(`${where} needs ${kind} httpGet ${path}`);
      if (!ports.has(p.port))
        say(`${where} ${kind} uses port ${p.port}, which the container does not declare`);
    };
    probe("livenessProbe", "/healthz");
    probe("readinessProbe", "/readyz");
    if (!c.resources?.limits?.cpu) say(`${where} has no cpu limit`);
    const sleep = c.lifecycle?.preStop?.sleep?.seconds;
    if (!sleep) say(`${where} needs a preStop sleep (endpoints are removed before SIGTERM)`);
    // The grace period must cover the preStop sleep and the process's own graceful stop.
    const grace = pod.terminationGracePeriodSeconds ?? 30;
    if (sleep && grace < sleep + 10)
      say(`terminationGracePeriodSeconds ${grace} leaves under 10 s after the ${sleep} s preStop sleep`);
  }

  // Something must route to it, scale it and protect it from drains.
  const ns = d.metadata?.namespace;
  const same = (o) => o.metadata?.namespace === ns;
  const hpa = ctx.objects.find(
    (o) =>
      o.kind === "HorizontalPodAutoscaler" &&
      same(o) &&
      o.spec?.scaleTargetRef?.kind === "Deployment" &&
      o.spec.scaleTargetRef.name === name(d),
  );
  if (!hpa) say("no HorizontalPodAutoscaler targets it");
  else if ((hpa.spec.minReplicas ?? 1) > hpa.spec.maxReplicas)
    say(`${describe(hpa)} has minReplicas > maxReplicas`);
  if (hpa && spec.replicas !== undefined)
    say("sets replicas although an autoscaler owns the count (every apply would reset it)");
  if (
    !ctx.objects.some(
      (o) => o.kind === "PodDisruptionBudget" && same(o) && matches(o.spec?.selector?.matchLabels, podLabels),
    )
  ) {
    say("no PodDisruptionBudget selects its pods");
  }
  if (!ctx.objects.some((o) => o.kind === "Service" && same(o) && matches(o.spec?.selector, podLabels))) {
    say("no Service selects its pods");
  }
  return problems;
}

function serviceProblems(s, { objects }) {
  const problems = [];
  const targets = objects.filter(
    (o) =>
      o.kind === "Deployment" &&
      o.metadata?.namespace === s.metadata?.namespace &&
      matches(s.spec?.selector, o.spec?.template?.metadata?.labels),
  );
  if (targets.length === 0) return [`${describe(s)}: selects no Deployment's pods`];
  if (targets.length > 1)
    problems.push(`${describe(s)}: selects the pods of ${targets.map(describe).join(", ")}`);
  const ports = new Set(
    targets.flatMap((d) =>
      (d.spec.template.spec.containers ?? []).flatMap((c) =>
        (c.ports ?? []).flatMap((p) => [p.name, p.containerPort]),
      ),
    ),
  );
  for (const p of s.spec?.ports ?? []) {
    if (!ports.has(p.targetPort ?? p.port))
      problems.push(`${describe(s)}: targetPort ${p.targetPort} is not a port of its pods`);
  }
  return problems;
}

function ingressProblems(ing, { objects }) {
  const problems = [];
  for (const rule of ing.spec?.rules ?? []) {
    for (const path of rule.http?.paths ?? []) {
      const svc = path.backend?.service;
      const target = objects.find(
        (o) =>
          o.kind === "Service" && name(o) === svc?.name && o.metadata?.namespace === ing.metadata?.namespace,
      );
      if (!target) {
        problems.push(`${describe(ing)}: ${rule.host}${path.path} goes to missing Service ${svc?.name}`);
        continue;
      }
      const port = svc.port?.name ?? svc.port?.number;
      if (!(target.spec?.ports ?? []).some((p) => p.name === port || p.port === port)) {
        problems.push(
          `${describe(ing)}: ${rule.host}${path.path} uses port ${port}, which ${describe(target)} does not have`,
        );
      }
    }
  }
  return problems;
}

/** Every rule broken by these objects (one rendered kustomization). */
export function policyProblems(objects) {
  const ctx = { objects, secrets: externalSecrets(objects) };
  const problems = [];
  for (const o of objects) {
    if (o.kind === "Deployment") problems.push(...deploymentProblems(o, ctx));
    if (o.kind === "Job" || o.kind === "CronJob") {
      const template = o.kind === "Job" ? o.spec?.template : o.spec?.jobTemplate?.spec?.template;
      problems.push(...podProblems(o, template ?? {}, ctx));
    }
    if (o.kind === "Service") problems.push(...serviceProblems(o, ctx));
    if (o.kind === "Ingress") problems.push(...ingressProblems(o, ctx));
    // Secret values stay out of git: Secrets are created in the cluster, never rendered from here.
    if (o.kind === "Secret")
      problems.push(`${describe(o)}: Secrets must not come from the repository (create it in the cluster)`);
  }
  return problems;
}

// Liveness for Kubernetes and the image's HEALTHCHECK (infra/k8s, infra/docker): the server answers.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true });
}

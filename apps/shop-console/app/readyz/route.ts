// Readiness for Kubernetes (infra/k8s): ready as soon as the server answers. Deliberately not
// tied to the API: a context that is down is shown per call ("try again shortly"), whereas an
// unready app would take every page offline.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true });
}

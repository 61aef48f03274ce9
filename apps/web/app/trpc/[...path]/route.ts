// Same-origin tRPC: the browser calls /trpc/<context>.<procedure> with its session cookie, and
// the proxy forwards each call (and SSE stream) to the process that runs that context.
import { proxyTrpc } from "@baedal/api/web/proxy";

export const dynamic = "force-dynamic";
export const GET = proxyTrpc;
export const POST = proxyTrpc;

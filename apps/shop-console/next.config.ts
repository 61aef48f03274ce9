import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";
import { nextHeadersConfig } from "@baedal/api/security/headers";
import { webEnv } from "@baedal/api/web/config";

// Monorepo root: dependencies are hoisted there, and the standalone output traces files from it.
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

const nextConfig: NextConfig = {
  output: "standalone",
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
  poweredByHeader: false,
  headers: () => nextHeadersConfig(webEnv()), // CSP, nosniff, frame-ancestors… shared with the API
  // The same-origin tRPC proxy and the API's types come from the workspace package as TypeScript.
  transpilePackages: ["@baedal/api"],
};

export default nextConfig;

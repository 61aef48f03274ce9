# syntax=docker/dockerfile:1.7
# A Next.js app as a standalone server (next.config.ts: output "standalone"). One file for both
# apps, picked with APP; build from the repository root:
#   docker build -f infra/docker/next-app.Dockerfile --build-arg APP=web          -t baedal/web .
#   docker build -f infra/docker/next-app.Dockerfile --build-arg APP=shop-console -t baedal/shop-console .
#   docker run -p 3000:3000 -e API_URL=http://host.docker.internal:4000 baedal/web
# The app forwards tRPC calls to API_URL_<CONTEXT> (or API_URL), read at request time.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false \
    NEXT_TELEMETRY_DISABLED=1

# The workspace manifests alone: the `npm ci` layer is rebuilt only when they change.
FROM base AS manifests
COPY . /src
RUN mkdir -p /out \
 && cd /src \
 && cp package.json package-lock.json /out/ \
 && for f in apps/*/package.json packages/*/package.json e2e/package.json bench/package.json chaos/package.json; do \
      mkdir -p "/out/$(dirname "$f")" && cp "$f" "/out/$f"; \
    done

FROM base AS build
ARG APP
# Security headers are fixed at build time (next.config.ts headers()): 1 adds HSTS. Browsers
# ignore HSTS over plain HTTP, so the same image also serves a local kind cluster.
ARG COOKIE_SECURE=1
RUN test "$APP" = web || test "$APP" = shop-console \
 || { echo "build with --build-arg APP=web or APP=shop-console" >&2; exit 1; }
COPY --from=manifests /out/ ./
# Install scripts stay off: Next's compiler, Tailwind's engine and sharp come as prebuilt
# optional packages.
RUN npm ci --ignore-scripts
COPY . .
# The apps compile @baedal/api (the tRPC proxy and the API's types), which imports the Prisma
# clients; Prisma's CLI wants a schema-engine binary that `generate` does not use: any file does.
RUN PRISMA_SCHEMA_ENGINE_BINARY=/usr/local/bin/node node packages/api/scripts/generate-prisma.mjs
# `public/` is optional in a Next app; make it exist so that the runtime stage can copy it.
RUN mkdir -p "apps/$APP/public" \
 && NODE_ENV=production COOKIE_SECURE="$COOKIE_SECURE" npm run build --workspace "@baedal/$APP"

FROM base AS runtime
ARG APP
ENV NODE_ENV=production \
    HOSTNAME=0.0.0.0 \
    PORT=3000
# The standalone output keeps the monorepo layout: apps/<app>/server.js and a traced
# node_modules at the root. Static assets and public/ are not part of it: copy them beside it.
COPY --from=build /app/apps/${APP}/.next/standalone/ ./
COPY --from=build /app/apps/${APP}/.next/static ./apps/${APP}/.next/static
COPY --from=build /app/apps/${APP}/public ./apps/${APP}/public
# The server in front of Next (in place of the generated server.js): it gives the /trpc proxy each
# caller's real address. Plain JavaScript, resolving `next` from the traced node_modules.
COPY --from=build /app/packages/api/src/web/serve-next.mjs /app/packages/api/src/web/next-peer.mjs ./packages/api/src/web/
WORKDIR /app/apps/${APP}
# The code is root-owned and read-only for the process user; Next writes only to .next/cache
# (an emptyDir in Kubernetes, where the root filesystem is read-only).
RUN mkdir -p .next/cache && chown 1000:1000 .next/cache
# Numeric, so that Kubernetes' runAsNonRoot can verify it (the image's `node` user).
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "/app/packages/api/src/web/serve-next.mjs"]

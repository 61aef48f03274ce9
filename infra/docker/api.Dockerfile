# syntax=docker/dockerfile:1.7
# The context worker image: every bounded context behind one entry point that takes the
# context's name, plus the migrator.
#   docker build -f infra/docker/api.Dockerfile -t baedal/api .        (from the repository root)
#   docker run baedal/api order                        one context (Kubernetes: one per Deployment)
#   docker run baedal/api all                          every context in one process
#   docker run --entrypoint node baedal/api packages/api/dist/migrate-cli.js
# The TypeScript sources are built into packages/api/dist (scripts/build.mjs, as `npm start` and
# the tests do): the same JavaScript runs everywhere, and nothing transpiles at start.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false

# The workspace manifests alone, so that the dependency layers below are rebuilt only when a
# package.json or the lock file changes, not on every source edit.
FROM base AS manifests
COPY . /src
RUN mkdir -p /out \
 && cd /src \
 && cp package.json package-lock.json /out/ \
 && for f in apps/*/package.json packages/*/package.json e2e/package.json bench/package.json chaos/package.json; do \
      mkdir -p "/out/$(dirname "$f")" && cp "$f" "/out/$f"; \
    done

# Every dependency (the Prisma CLI is a dev dependency) to generate the Prisma clients.
# Install scripts stay off: nothing here needs one (Prisma's engines download is not used by
# `prisma generate`, esbuild and the native modules come as prebuilt optional packages).
FROM base AS build
COPY --from=manifests /out/ ./
RUN npm ci --ignore-scripts
COPY tsconfig.base.json ./
# Sources only: .dockerignore keeps out tests, test tooling, node_modules and generated files.
COPY packages/events/ packages/events/
COPY packages/api/ packages/api/
# Prisma's CLI insists on a schema-engine binary it does not use for `generate`: any file does.
RUN PRISMA_SCHEMA_ENGINE_BINARY=/usr/local/bin/node node packages/api/scripts/generate-prisma.mjs
# JavaScript built once (esbuild): the processes start without transpiling TypeScript.
RUN node packages/api/scripts/build.mjs

# Production dependencies of the API workspaces only: npm's `--omit=dev --workspace` still
# installs Next.js, the Prisma CLI and every other optional peer (~750 MB); prune-deps.mjs keeps
# what Node would actually load (~160 MB).
FROM build AS prod-deps
COPY infra/docker/prune-deps.mjs /tmp/prune-deps.mjs
RUN node /tmp/prune-deps.mjs /app packages/api packages/events \
 && rm -rf packages/api/scripts /tmp/prune-deps.mjs

FROM base AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080
# Sources (with the generated Prisma clients) and the pruned dependencies; owned by root and
# read-only for the process user.
COPY --from=prod-deps /app/ ./
# Numeric, so that Kubernetes' runAsNonRoot can verify it (the image's `node` user).
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is PID 1 and handles SIGTERM itself (src/main.ts, built to dist/main.js: graceful stop).
ENTRYPOINT ["node", "--enable-source-maps", "packages/api/dist/main.js"]
CMD ["all"]

import type http from "node:http";
import {
  SessionRevocations,
  connectMessaging,
  ensureEventStream,
  type SqlExecutor,
  type TransactionRunner,
} from "@baedal/events";
import type { AnyRouter } from "@trpc/server";
import { loadConfig, setting, type Config } from "./config.js";
import type { ContextModule } from "./context-module.js";
import { hostDeadLetters, withOps } from "./dead-letters.js";
import { createPool, createPrisma } from "./db.js";
import { createHttpServer } from "./http.js";
import { logger, type Logger } from "./logger.js";
import {
  HttpTraffic,
  RuntimeGauges,
  checkReadiness,
  countNatsMessages,
  countStatements,
  installMessagingMetrics,
  setupTracing,
} from "./observability/index.js";
import { sessionMaxAgeSeconds } from "./auth.js";
import { ManagedRuntime } from "./runtime.js";
import { contextSchemas } from "./schemas.js";
import { router } from "./trpc.js";

/**
 * Prisma loads and compiles its query compiler (WebAssembly, blocking the event loop) on a
 * client's first query; done here, before the process reports healthy, so the first customer's
 * request does not pay for it against a caller's RPC timeout. Best effort: a database that is
 * down now is the readiness probe's business, not a reason to refuse to start.
 */
async function warmUp(db: TransactionRunner<SqlExecutor>, log: Logger): Promise<void> {
  const started = performance.now();
  try {
    await db.$transaction((tx) => tx.$queryRawUnsafe("SELECT 1"));
    log.debug({ ms: Math.round(performance.now() - started) }, "database client warmed up");
  } catch (err) {
    log.warn({ err: String(err) }, "database warm-up failed; continuing");
  }
}

export interface RunningProcess {
  port: number;
  server: http.Server;
  stop(): Promise<void>;
}

/**
 * Starts the given contexts in this process: one NATS connection, a pool and runtime per
 * context, and one HTTP server whose router holds the routers of the contexts running here.
 */
export async function startProcess(
  modules: ContextModule[],
  opts: { port: number; config?: Config },
): Promise<RunningProcess> {
  const config = opts.config ?? loadConfig();
  const names = modules.map((m) => m.name).join(",");
  const log = logger.child({ contexts: names });
  const tracing = setupTracing(`baedal-${names.replaceAll(",", "-")}`, log);
  installMessagingMetrics();
  const messaging = await connectMessaging({
    url: config.NATS_URL,
    ns: config.BAEDAL_NS,
    name: `baedal:${names}`,
  });
  countNatsMessages(messaging.nc);
  await ensureEventStream(messaging);
  const sessions = await SessionRevocations.open(messaging, sessionMaxAgeSeconds * 1000);
  // Sign-outs already recorded are loaded before this process takes a request.
  await sessions.follow((err) =>
    log.warn({ err: String(err) }, "signed-out sessions: watch failed; retrying"),
  );

  const runtimes: ManagedRuntime<any, any>[] = [];
  for (const m of modules) {
    const schema = contextSchemas[m.name];
    const pool = createPool(config.DATABASE_URL, m.poolSize ?? 10);
    countStatements(pool, m.name);
    const db = createPrisma(m.Client, pool, schema);
    const contextLog = log.child({ context: m.name });
    await warmUp(db, contextLog);
    const rt = new ManagedRuntime(
      m.name,
      schema,
      config,
      contextLog,
      messaging,
      pool,
      db,
      sessions,
    );
    await m.setup(rt);
    hostDeadLetters(m.name, rt);
    runtimes.push(rt);
  }
  for (const rt of runtimes) await rt.start();

  const routers = Object.fromEntries(
    modules.map((m) => [m.name, withOps(m.name, (m.router ?? router({})) as AnyRouter)]),
  );
  const appRouter = router(routers);
  const traffic = new HttpTraffic(appRouter, log);
  const gauges = new RuntimeGauges(runtimes);
  const server = createHttpServer({
    router: appRouter,
    authSecret: config.AUTH_SECRET,
    metricsToken: config.METRICS_TOKEN,
    isRevoked: (sessionId) => sessions.isRevoked(sessionId),
    traffic,
    metrics: () => gauges.scrape(),
    ready: () => checkReadiness({ nc: messaging.nc, contexts: runtimes, draining: traffic.draining }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, config.HOST, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  log.info({ port }, "ready");

  /**
   * Graceful stop (SIGTERM): readiness turns 503 and new requests get a clean 503 while the
   * requests already running finish; then consumers finish the messages they pulled (the rest
   * stays on the durable consumer for a replica or the next start), background tasks and RPC
   * replies finish, the outbox is flushed, NATS drains (acks and replies go out) and pools close.
   */
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      const started = Date.now();
      log.info("draining");
      await traffic.drain(server, setting("BAEDAL_DRAIN_TIMEOUT_MS"));
      await Promise.all(runtimes.map((rt) => rt.stop()));
      await sessions.stop();
      await messaging.nc.drain().catch(() => undefined);
      for (const rt of runtimes) {
        await (rt.db as { $disconnect?: () => Promise<void> }).$disconnect?.().catch(() => undefined);
        await rt.pool.end().catch(() => undefined);
      }
      await tracing.shutdown();
      log.info({ ms: Date.now() - started }, "stopped");
    })());
  return { port, server, stop };
}

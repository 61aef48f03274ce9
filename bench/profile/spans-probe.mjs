// Span timing for the place-order path, preloaded into the order process by the bench only
// (`--import tsx --import <this>`, from the TypeScript sources, whose modules it can reach — the
// build bundles them): no production code carries it. It reaches them as any tool does, by
// package name: pg and NATS are the bench's own dependencies (the workspace's one copy, the one
// the process loads), the saga comes through @baedal/api/profiling. For every `order.place`
// request it records, on the request's own async context, when these were active:
//   the checkout saga, its unit of work (transaction), the payment RPC, each Postgres query
//   (labelled "<verb> <table>") and each wait for a pool connection.
// The bench asks for the records over IPC and turns them into a time breakdown.
import { AsyncLocalStorage } from "node:async_hooks";
import http from "node:http";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const als = new AsyncLocalStorage();
const records = [];
const maxRecords = 20_000;
const t = () => performance.now();

/** Wraps `obj[name]` so each call is recorded as an interval of the current request. */
function timeMethod(obj, name, label) {
  const original = obj[name];
  obj[name] = function (...args) {
    const span = als.getStore();
    if (!span) return original.apply(this, args);
    const start = t();
    const lbl = typeof label === "function" ? label(args) : label;
    const last = args[args.length - 1];
    if (typeof last === "function") {
      args[args.length - 1] = function (...cbArgs) {
        span.intervals.push([lbl, start, t()]);
        return last.apply(this, cbArgs);
      };
      return original.apply(this, args);
    }
    const out = original.apply(this, args);
    if (out && typeof out.then === "function") {
      return out.finally(() => span.intervals.push([lbl, start, t()]));
    }
    span.intervals.push([lbl, start, t()]);
    return out;
  };
}

function sqlLabel(args) {
  const text = typeof args[0] === "string" ? args[0] : (args[0]?.text ?? "");
  const verb = (/^\s*(\w+)/.exec(text)?.[1] ?? "?").toUpperCase();
  if (verb === "BEGIN" || verb === "COMMIT" || verb === "ROLLBACK") return `db ${verb}`;
  const table =
    /(?:\bFROM|\bINTO|^\s*UPDATE)\s+((?:"?\w+"?\.)?"?\w+"?)/i.exec(text)?.[1]?.replaceAll('"', "") ?? "?";
  return `db ${verb} ${table.replace(/^\w+\./, "")}`;
}

const pg = require("pg");
timeMethod(pg.Client.prototype, "query", sqlLabel);
timeMethod(pg.Pool.prototype, "connect", "pool wait");

const { NatsConnectionImpl } = require("@nats-io/nats-core/internal");
timeMethod(NatsConnectionImpl.prototype, "request", "nats request");

const events = await import("@baedal/events");
timeMethod(events.RpcClient.prototype, "call", "payment rpc");
timeMethod(events.UnitOfWork.prototype, "run", "unit of work");
const saga = await import("@baedal/api/profiling");
timeMethod(saga.CheckoutSaga.prototype, "placeOrder", "checkout saga");

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req, res) {
  if (event !== "request" || !req.url?.startsWith("/trpc/order.place")) return emit.apply(this, arguments);
  const span = { start: t(), end: 0, status: 0, intervals: [] };
  res.once("finish", () => {
    span.end = t();
    span.status = res.statusCode;
    if (records.length < maxRecords) records.push(span);
  });
  return als.run(span, () => emit.apply(this, arguments));
};

if (process.send) {
  process.channel?.unref();
  process.on("message", (m) => {
    if (m?.type === "bench:spans")
      process.send({ type: "bench:spans", id: m.id, records: records.splice(0) });
  });
}

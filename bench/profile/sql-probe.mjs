// Counts the SQL statements a context process sends, by statement text, for the lifecycle
// profile (bench/profile/lifecycle-profile.ts): preloaded with `--import <this>` and an IPC
// channel. The first time a text is seen, the caller is noted from a stack trace (mapped to the
// TypeScript sources by --enable-source-maps); after that a statement costs one Map update.
// Prisma's pg adapter asks for rows as arrays, which tells its statements (BEGIN and COMMIT of
// its transactions too) from those sent through pg directly. Over IPC:
//   bench:sql  answer { counts: [{ sql, n, prisma, caller }] } and start counting afresh.
// Inert without an IPC channel.
import { createRequire } from "node:module";
import { join } from "node:path";

if (process.send) {
  process.channel?.unref();
  const require = createRequire(join(process.cwd(), "package.json")); // cwd: packages/api
  const pg = require("pg");
  let counts = new Map();
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (...args) {
    const first = args[0];
    const sql = (typeof first === "string" ? first : (first?.text ?? "")).replace(/\s+/g, " ").trim();
    const prisma = first?.rowMode === "array";
    const key = `${prisma ? "P" : "-"}${sql}`;
    let c = counts.get(key);
    if (!c) {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 40;
      const stack = (new Error().stack ?? "").split("\n").slice(2);
      Error.stackTraceLimit = limit;
      const ours = stack.find(
        (l) => /packages\/(api|events)\/src\//.test(l) && !/\/generated\/|work-counters/.test(l),
      );
      c = {
        sql,
        n: 0,
        prisma,
        caller: ours?.trim().replace(/^at /, "").replace(/\(?(?:file:\/\/)?\/.*?\/packages\//, "(packages/") ?? "",
      };
      counts.set(key, c);
    }
    c.n++;
    return query.apply(this, args);
  };
  process.on("message", (m) => {
    if (m?.type !== "bench:sql") return;
    const out = [...counts.values()].sort((a, b) => b.n - a.n);
    counts = new Map();
    process.send({ type: m.type, id: m.id, counts: out });
  });
}

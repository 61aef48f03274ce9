import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contextNames } from "../../../src/platform/config.js";
import { TestEnv } from "../harness.js";
import { seedAndSync, warmUpCheckout } from "../fixtures.js";
import { allProcedures, Fx, type CallResult } from "./authz-fixtures.js";
import { authorizationTable, callers, rowFor, type Who } from "./authz-table.js";
import { post } from "./raw.js";
import { startContexts } from "./suite-setup.js";

/**
 * Runs the authorization table (authz-table.ts) against every context in its own process with
 * the demo data: for each procedure the router defines, each caller gets exactly its outcome.
 */
const procedures = allProcedures();

describe("authorization table covers the API", () => {
  it("every procedure of the routers has a row, and every row a procedure", () => {
    const missing = [...procedures.keys()].filter((p) => !rowFor(p));
    expect(missing, "add these to test/integration/security/authz-table.ts").toEqual([]);
    const used = new Set([...procedures.keys()].map((p) => rowFor(p)?.key));
    const stale = Object.keys(authorizationTable).filter((k) => !used.has(k));
    expect(stale, "rows for procedures that no longer exist").toEqual([]);
  });
});

describe("authorization: who may call what (every context in its own process)", () => {
  const env = new TestEnv();
  let fx: Fx;

  beforeAll(async () => {
    await env.setup();
    await startContexts(env, contextNames);
    await seedAndSync(env);
    // A second customer with a real account (identity.me reads it).
    const signUp = await post(
      env.urlFor("identity"),
      "identity.signUp",
      {
        email: `authz-${randomUUID()}@example.com`,
        password: "long-enough-1",
        name: "나고객",
        phone: "010-4444-0000",
      },
      { origin: "http://localhost:3000" },
    );
    expect(signUp.status).toBe(200);
    const user = signUp.json.result.data.user as { id: string; name: string };
    fx = new Fx(env, { userId: user.id, role: "CUSTOMER", name: user.name, shopId: null });
    for (const rider of ["rider1", "rider2"] as const)
      await fx.must(rider, "delivery.setOnline", { online: true });
    await warmUpCheckout(env);
  }, 240_000);
  afterAll(async () => {
    if (process.env.DUMP) for (const p of env.processes.values()) console.log(p.name, p.output.join(""));
    await env.teardown();
  });

  const describeResult = (r: CallResult) => (r.ok ? "ok" : `${r.outcome} (${r.message})`);

  for (const [path] of procedures) {
    it(
      path,
      async () => {
        const found = rowFor(path);
        if (!found) throw new Error(`${path} has no row in the authorization table (authz-table.ts)`);
        const { row } = found;
        const shared = row.object ? await row.object(fx, path) : undefined;
        const inputFor = async (who: Who) => {
          const fresh = row.object && !row.shared && who !== "owner" && row.expect[who] === "ok";
          const o = fresh ? await row.object!(fx, path) : shared;
          return row.input?.(o, fx);
        };

        const results = {} as Record<Who, CallResult>;
        const seen: string[] = [];
        for (const [actor, expected] of row.also ?? []) {
          const r = await fx.call(actor, path, row.input?.(shared, fx));
          seen.push(
            `${actor}: ${describeResult(r)}${r.outcome === expected ? "" : ` — expected ${expected}`}`,
          );
          expect(r.outcome, `${path} as ${actor}\n${seen.join("\n")}`).toBe(expected);
        }
        // Denied callers first, on the owner's object; the owner last, proving it was untouched.
        for (const who of callers) {
          const actor = who === "anonymous" ? null : row.cast[who];
          results[who] = await fx.call(actor, path, await inputFor(who));
          seen.push(`${who} (${actor ?? "no session"}): ${describeResult(results[who])}`);
        }
        const got = Object.fromEntries(callers.map((w) => [w, results[w].outcome]));
        expect(got, `${path}\n${seen.join("\n")}`).toEqual(row.expect);
        // Whatever a signed-in caller gets (their orders, profile, calls…) is never stored by a
        // browser or a shared cache.
        for (const who of callers.filter((w) => w !== "anonymous")) {
          if (results[who].cacheControl === undefined) continue; // a subscription (SSE)
          expect(results[who].cacheControl, `${path} as ${who}: Cache-Control`).toBe("no-store");
        }
        row.verify?.(results);
      },
      90_000,
    );
  }
});

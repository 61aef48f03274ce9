import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringFields } from "@baedal/events";
import { appRouter } from "../../../src/router.js";
import { TestEnv, waitFor } from "../harness.js";
import { admin, fishShop, orderInput, seedAndSync, warmUpCheckout } from "../fixtures.js";
import { nowhere, targets, type Caller, type Field, type Live, type Target } from "./fuzz-targets.js";
import { bearer, get, post, type RawResponse } from "./raw.js";
import { startContexts } from "./suite-setup.js";

/**
 * Malformed input against the reachable procedures (fast-check, bounded runs): wrong types, huge
 * strings, negative and fractional quantities and prices, unknown fields, deep nesting and
 * bodies that are not JSON; and bad free text in every free-text field of every procedure (NUL
 * and other control characters, lone surrogates, too many characters, blanks) against real
 * orders, tickets and review cases. Every answer must be a 4xx with a clear message and no
 * stack, never a 500, and nothing may be stored.
 */
const RUNS_PER_TARGET = Number(process.env.FUZZ_RUNS ?? 30);
/** Generated bad texts per free-text field, after the four known ones (NUL, C1, two lone surrogates). */
const TEXT_RUNS_PER_FIELD = Number(process.env.FUZZ_TEXT_RUNS ?? 16);
/** Fixed with FUZZ_SEED=<seed from a failure report> to replay that run. */
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Values of every JSON type but `keep`, plus nesting; `null` only where the field is not nullable. */
function wrongType(keep: "string" | "number" | "array", nullable = false): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [
    fc.boolean(),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  ];
  if (keep !== "string") options.push(fc.string({ maxLength: 20 }));
  if (keep !== "number")
    options.push(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })));
  if (keep !== "array") options.push(fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }));
  if (!nullable) options.push(fc.constant(null));
  options.push(nested(50));
  return fc.oneof(...options);
}

/** `[[[…]]]` or `{"a":{"a":…}}`, `depth` levels. */
const deep = (depth: number, kind: "array" | "object") => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === "array" ? [v] : { a: v };
  return v;
};
const nested = (max: number) =>
  fc
    .tuple(fc.integer({ min: 2, max }), fc.constantFrom("array" as const, "object" as const))
    .map(([d, k]) => deep(d, k));

/**
 * Longer than `max` in non-blank characters (a trimmed blank string could be valid), counted in
 * code points as zod counts them: 41 emoji are 82 UTF-16 units but only 41 characters.
 */
const tooLong = (max: number) =>
  fc
    .tuple(
      fc.integer({ min: max + 1, max: max + 2_000 }),
      fc.constantFrom("x", "가", "😀", "<script>", "'; DROP TABLE users; --"),
    )
    .map(([n, s]) => Array.from(s.repeat(n)).slice(0, n).join(""));

const badInt = (f: Extract<Field, { kind: "int" }>) =>
  fc.oneof(
    fc.integer({ min: -1_000_000_000, max: f.min - 1 }), // negative, zero, below the minimum
    fc.integer({ min: f.max + 1, max: 2_000_000_000 }),
    fc.double({ min: f.min, max: f.max, noNaN: true }).filter((d) => !Number.isInteger(d)), // 1.5 of a dish
    fc.constantFrom(-0.5, 1e21, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER),
    fc.integer({ min: f.min, max: f.max }).map(String), // "2": a numeral is not a number
    wrongType("number"),
  );

/** An invalid value for one field, by its shape. */
function badValue(f: Field): fc.Arbitrary<unknown> {
  switch (f.kind) {
    case "string":
    case "text": {
      const bad = [tooLong(f.max), wrongType("string", f.nullable)];
      if ((f.min ?? 0) >= 1) bad.push(fc.constantFrom("", " ", "\t\n"));
      return fc.oneof(...bad);
    }
    case "int":
      return badInt(f);
    case "uuid":
      return fc.oneof(
        fc.string({ maxLength: 40 }).filter((s) => !uuidRe.test(s)),
        fc.constantFrom("00000000-0000-0000-0000-00000000000g", "../../etc/passwd", "' OR 1=1 --"),
        wrongType("string"),
      );
    case "bool":
      return fc.oneof(fc.constantFrom("true", 1, 0), wrongType("number"));
    case "enum":
      return fc.oneof(
        fc.string({ maxLength: 12 }).filter((s) => !f.values.includes(s)),
        wrongType("string"),
      );
    case "array":
      return fc.oneof(
        wrongType("array"),
        fc.constant([]),
        fc.array(fc.constant({}), { minLength: f.max + 1, maxLength: f.max + 5 }),
        fc.constantFrom([null], [1], ["x"]),
      );
  }
}

/** Keys a client might try to slip in (mass assignment), none of them part of any input here. */
const intruders = [
  "customerId",
  "userId",
  "role",
  "status",
  "isAdmin",
  "__proto__",
  "constructor",
  "paidKrw",
  "reviewStatus",
  "actor",
];

/** One invalid input for `t`: a valid one with exactly one thing wrong. */
function corrupted(t: Target): fc.Arbitrary<unknown> {
  const valid = () => t.valid(nowhere());
  const names = Object.keys(t.fields);
  const known = new Set([...names, ...Object.keys(valid())]);
  const oneField = fc
    .constantFrom(...names)
    .chain((name) => badValue(t.fields[name]!).map((v) => ({ ...valid(), [name]: v })));
  const unknownKey = fc
    .oneof(
      fc.constantFrom(...intruders),
      fc.string({ minLength: 1, maxLength: 10 }).map((s) => `zz${s}`),
    )
    .filter((k) => !known.has(k))
    .chain((key) =>
      fc
        .jsonValue({ maxDepth: 2 })
        .map((v) => JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(v ?? null)}}`)),
    )
    .map((extra) => ({ ...valid(), ...extra }));
  const arrays = names.filter((n) => t.fields[n]!.kind === "array");
  const badLine = arrays.length
    ? fc.constantFrom(...arrays).chain((name) => {
        const of = (t.fields[name] as Extract<Field, { kind: "array" }>).of;
        const lines = valid()[name] as Record<string, unknown>[];
        return fc
          .oneof(
            fc
              .constantFrom(...Object.keys(of))
              .chain((k) => badValue(of[k]!).map((v) => ({ ...lines[0], [k]: v }))),
            fc
              .constantFrom(...intruders)
              .map((k) => JSON.parse(`{${JSON.stringify(k)}:1,${JSON.stringify(lines[0]).slice(1)}`)),
          )
          .map((line) => ({ ...valid(), [name]: [...lines, line] }));
      })
    : null;
  const whole = fc.oneof(
    fc.constantFrom(null, 42, "input", true),
    fc.array(fc.integer(), { maxLength: 3 }),
    nested(3_000),
  );
  return fc.oneof(...[oneField, oneField, unknownKey, whole, ...(badLine ? [badLine, badLine] : [])]);
}

/** Bodies (or query inputs) that are not JSON at all. */
const notJson = fc.oneof(
  fc.constantFrom("{", '{"email":', "[1,2", "{'a':1}", "NaN", "undefined", '{"a":1}}', "\u0000", '{"a":01}'),
  fc.string({ maxLength: 50 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return s.trim().length > 0; // an empty input is "no input", valid where the input is optional
    }
  }),
);

type TextField = Extract<Field, { kind: "text" }>;
/** How a generated text is bad, and what the refusal must say about it. */
type BadText = { kind: "control" | "surrogate" | "too long" | "blank"; value: string };
const expectedMessage: Record<BadText["kind"], RegExp> = {
  control: /must not contain control characters/,
  surrogate: /invalid Unicode/,
  "too long": /must be at most \d+ characters/,
  blank: /./,
};

const codePoints = (s: string) => Array.from(s);
/** `bad` put inside `base` (never at an end, where trimming could take it away), within `max`. */
const inside = (base: string, bad: string, max: number) => {
  const whole = codePoints(base.length > 1 ? base : base.repeat(2));
  const cps = whole.slice(0, Math.max(2, max - codePoints(bad).length));
  return fc
    .integer({ min: 1, max: cps.length - 1 })
    .map((k) => [...cps.slice(0, k), bad, ...cps.slice(k)].join(""));
};
const char = (code: number) => String.fromCharCode(code);
/** C0 controls, DEL and C1 controls; a multi-line field may hold line breaks and tabs. */
const control = (f: TextField) =>
  fc
    .oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }))
    .filter((c) => !(f.multiline && [0x09, 0x0a, 0x0d].includes(c)))
    .map(char);
/** Half of a surrogate pair, alone: not a character, and Postgres refuses it. */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map(char);

/** Free text that must be refused, built from the field's valid value `base`. */
function badText(f: TextField, base: string): fc.Arbitrary<BadText> {
  const as = (kind: BadText["kind"]) => (value: string) => ({ kind, value });
  const options = [
    control(f)
      .chain((c) => inside(base, c, f.max))
      .map(as("control")),
    // Several at once, e.g. a NUL between ordinary controls.
    fc
      .array(control(f), { minLength: 2, maxLength: 5 })
      .chain((cs) => inside(base, cs.join(""), f.max))
      .map(as("control")),
    loneSurrogate.chain((c) => inside(base, c, f.max)).map(as("surrogate")),
    // One character too many and more, in code points: an emoji is two UTF-16 units.
    fc
      .tuple(fc.integer({ min: f.max + 1, max: f.max + 40 }), fc.constantFrom("x", "가", "😀"))
      .map(([n, c]) => c.repeat(n))
      .map(as("too long")),
  ];
  if (f.min >= 1 && !f.asTyped) {
    const blanks = [" ", "   ", "\u3000", " \u00a0 ", "\t \n"];
    options.push(fc.constantFrom(...blanks).map(as("blank")));
  }
  return fc.oneof(...options);
}
/** Always tried first for every field: the findings of issue 9. */
const knownBad = (base: string): BadText[] => {
  const [first, ...rest] = codePoints(base);
  return [
    { kind: "control", value: `${first}\u0000${rest.join("")}` },
    { kind: "control", value: `${first}\u0085${rest.join("")}` },
    { kind: "surrogate", value: `${first}\ud83d${rest.join("")}` },
    { kind: "surrogate", value: `${first}\ude00${rest.join("")}` },
  ];
};

describe("every free-text field of every procedure uses the shared text schema", () => {
  type Limits = { min: number; max: number; multiline: boolean; trim: boolean };
  const procedures = (
    appRouter._def as unknown as { procedures: Record<string, { _def: { inputs: unknown[] } }> }
  ).procedures;

  it("each string input is the shared text schema or a closed format, and the fuzz table lists every text field with its limits", () => {
    const inRouters = new Map<string, Limits>();
    const loose: string[] = [];
    for (const [path, p] of Object.entries(procedures)) {
      for (const input of p._def.inputs) {
        for (const f of stringFields(input)) {
          const key = `${path} ${f.path}`;
          if (f.text) {
            const { min, max, multiline, trim } = f.text;
            inRouters.set(key, { min, max: max!, multiline, trim });
          } else if (!f.closed) loose.push(key);
        }
      }
    }
    // A string that is neither would take NUL, control characters and lone surrogates.
    expect(loose, "string inputs that do not use the shared text schema").toEqual([]);
    const inTable = new Map<string, Limits>();
    for (const t of targets) {
      for (const [name, f] of Object.entries(t.fields)) {
        if (f.kind === "text") {
          inTable.set(`${t.path} ${name}`, {
            min: f.min,
            max: f.max,
            multiline: !!f.multiline,
            trim: !f.asTyped,
          });
        }
      }
    }
    expect(Object.fromEntries(inTable), "fuzz-targets.ts against the routers").toEqual(
      Object.fromEntries(inRouters),
    );
  });
});

describe("fuzzing the reachable procedures with malformed input", () => {
  const env = new TestEnv();
  const headers: Record<Caller, Record<string, string>> = {
    anonymous: {},
    customer: {},
    owner: {},
    admin: {},
  };
  const customer = env.actor("CUSTOMER");
  /** Real objects for the free-text test (see Live), and the order of the READY ticket. */
  let live: Live;
  let readyOrderId: string;

  beforeAll(async () => {
    await env.setup();
    await startContexts(env, ["identity", "catalog", "order", "payment", "store", "notification", "review"]);
    await seedAndSync(env);
    // Mutations carry the app's Origin (the browser path); signed-in callers a bearer token.
    const origin = { origin: "http://localhost:3000" };
    headers.anonymous = origin;
    headers.customer = { ...origin, ...(await bearer(customer)) };
    headers.owner = { ...origin, ...(await bearer(fishShop.owner)) };
    headers.admin = { ...origin, ...(await bearer(admin)) };
    await warmUpCheckout(env);
    const api = await env.client(customer);
    const owner = await env.client(fishShop.owner);
    const adminApi = await env.client(admin);
    const ticketOf = (orderId: string) =>
      waitFor("the kitchen ticket", async () =>
        (await owner.store.board.query()).find((t: { orderId: string }) => t.orderId === orderId),
      );
    const { orderId } = await api.order.place.mutate(orderInput(`fuzz-${randomUUID()}`));
    const newTicket = await ticketOf(orderId);
    readyOrderId = (await api.order.place.mutate(orderInput(`fuzz-${randomUUID()}`))).orderId;
    const ready = await ticketOf(readyOrderId);
    await owner.store.accept.mutate({ ticketId: ready.id, prepMinutes: 10 });
    await owner.store.startCooking.mutate({ ticketId: ready.id });
    await owner.store.markReady.mutate({ ticketId: ready.id });
    const item = await owner.catalog.createItem.mutate({
      name: "퍼즈 검수",
      priceKrw: 9_000,
      category: "검사",
    });
    const reviewCase = await waitFor("the review case", async () =>
      (await adminApi.review.queue.query()).find((c: { menuItemId: string }) => c.menuItemId === item.id),
    );
    live = {
      orderId,
      newTicketId: newTicket.id,
      readyTicketId: ready.id,
      reviewCaseId: reviewCase.id,
      itemId: fishShop.platterId,
    };
  }, 240_000);
  afterAll(() => env.teardown());

  /**
   * Every table of every context (the rate limit counters aside) as its row count and a digest
   * of its rows: an insert, an update or a delete anywhere shows.
   */
  async function tableDigests(): Promise<Record<string, string>> {
    const tables = await env.query<{ s: string; t: string }>(
      `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema', 'public')
          AND table_name NOT IN ('rate_limits', '_migrations')`,
    );
    const digests: Record<string, string> = {};
    for (const { s, t } of tables) {
      const [row] = await env.query<{ n: number; h: string | null }>(
        `SELECT count(*)::int AS n, md5(string_agg(x::text, '|' ORDER BY x::text)) AS h FROM "${s}"."${t}" x`,
      );
      digests[`${s}.${t}`] = `${row!.n} ${row!.h ?? ""}`;
    }
    return digests;
  }
  /** Digests once the events in flight have settled (two equal snapshots in a row). */
  async function quietDigests() {
    let last = await tableDigests();
    return waitFor(
      "the database to be quiet",
      async () => {
        await new Promise((r) => setTimeout(r, 1_000));
        const now = await tableDigests();
        const same = JSON.stringify(now) === JSON.stringify(last);
        last = now;
        return same ? now : null;
      },
      60_000,
    );
  }

  const url = (t: Target) => env.urlFor(t.path.split(".")[0]!);
  /** `raw`: `input` is the exact body / query input text (for what is not JSON). */
  const send = (t: Target, input: unknown, raw = false): Promise<RawResponse> =>
    t.type === "mutation"
      ? post(url(t), t.path, input, headers[t.as], { raw })
      : get(url(t), t.path, input, headers[t.as], { raw });

  /** A refusal as a client should see it: 4xx, a message, no internals. */
  function expectClearRefusal(res: RawResponse, what: string) {
    expect(res.status, `${what} → ${res.status} ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect(res.status, `${what} → ${res.status} ${res.text.slice(0, 300)}`).toBeLessThan(500);
    // Node answers an oversized URL (a huge query input) itself, before any handler: no body.
    if (res.status === 431 || res.status === 414) return;
    const error = res.json?.error;
    expect(typeof error?.message, `${what}: ${res.text.slice(0, 300)}`).toBe("string");
    expect(error.message.length).toBeGreaterThan(0);
    // One readable line, not a JSON dump of validation issues.
    expect(error.message, what).not.toMatch(/^\s*[[{]/);
    if (error.data?.code === "BAD_REQUEST" && res.json?.error?.data?.fieldErrors) {
      expect(error.message, what).toMatch(/^Invalid input — /);
    }
    expect(error.data?.stack).toBeUndefined();
    expect(res.text).not.toMatch(/\bat .+\.(?:ts|js):\d+/); // no stack frames anywhere
    expect(res.text.length).toBeLessThan(20_000); // the input is not echoed back
  }

  it("the valid inputs the corruptions start from are accepted or refused for business reasons only", async () => {
    // Guards the generators: if a valid input were refused as BAD_REQUEST, every corruption of it
    // would pass for the wrong reason. (Sent to procedures whose effect on the data is nil here.)
    for (const t of targets.filter((t) => t.type === "query")) {
      const res = await send(t, t.valid(nowhere()));
      expect(res.status, `${t.path}: ${res.text.slice(0, 200)}`).toBe(200);
    }
    for (const path of [
      "order.cancel",
      "order.adminCancel",
      "store.callRider",
      "store.accept",
      "store.reject",
      "review.reject",
      "catalog.updateItem",
    ]) {
      const t = targets.find((x) => x.path === path)!;
      const res = await send(t, t.valid(nowhere()));
      expect(res.json?.error?.data?.code, `${path}: ${res.text.slice(0, 200)}`).toBe("NOT_FOUND");
    }
    const signIn = targets.find((x) => x.path === "identity.signIn")!;
    expect((await send(signIn, signIn.valid(nowhere()))).json?.error?.data?.code).toBe("UNAUTHORIZED");
  });

  it("every corrupted input is refused with a 4xx and a clear message, and nothing is stored", async () => {
    const before = await quietDigests();
    for (const t of targets) {
      await fc.assert(
        fc.asyncProperty(corrupted(t), async (input) => {
          expectClearRefusal(await send(t, input), `${t.path} ${JSON.stringify(input)?.slice(0, 200)}`);
        }),
        { numRuns: RUNS_PER_TARGET, endOnFailure: true, seed },
      );
    }
    const after = await quietDigests();
    expect(after).toEqual(before);
  }, 300_000);

  it("free text with control characters, lone surrogates, too many characters or only blanks is refused with 400 naming the field, and nothing stored changes", async () => {
    const before = await quietDigests();
    const problems: string[] = [];
    for (const t of targets) {
      for (const [name, f] of Object.entries(t.fields)) {
        if (f.kind !== "text") continue;
        const valid = t.valid(live);
        const base = String(valid[name]);
        const outcome = await fc.check(
          fc.asyncProperty(badText(f, base), async (bad) => {
            const res = await send(t, { ...t.valid(live), [name]: bad.value });
            const what = `${t.path} ${name} (${bad.kind}) ${JSON.stringify(bad.value).slice(0, 60)} → ${res.status} ${res.text.slice(0, 300)}`;
            expectClearRefusal(res, what);
            expect(res.status, what).toBe(400);
            expect(res.json.error.message, what).toMatch(/^Invalid input — /);
            expect(res.json.error.message, what).toContain(`${name}: `);
            expect(res.json.error.message, what).toMatch(expectedMessage[bad.kind]);
          }),
          {
            numRuns: TEXT_RUNS_PER_FIELD,
            endOnFailure: true,
            seed,
            examples: knownBad(base).map((b) => [b]),
          },
        );
        if (outcome.failed) {
          problems.push(`${t.path} ${name}: ${String(outcome.errorInstance).split("\n")[0]}`);
        }
      }
    }
    expect.soft(problems, "fields whose bad text was not refused with a clear 400").toEqual([]);
    expect.soft(await quietDigests(), "what is stored after the refused calls").toEqual(before);
    // In particular: no rider fee and no rider call for the READY ticket.
    expect(
      await env.query(`SELECT status FROM payment.rider_fees WHERE order_id = $1`, [readyOrderId]),
    ).toEqual([]);
    expect(
      await env.query(
        `SELECT 1 FROM store.outbox WHERE payload->>'type' = 'RiderCallRequested' AND payload->>'orderId' = $1`,
        [readyOrderId],
      ),
    ).toEqual([]);

    // The targets were live: the same calls with their valid text go through and change things.
    for (const path of ["store.callRider", "review.reject", "order.cancel"]) {
      const t = targets.find((x) => x.path === path)!;
      const res = await send(t, t.valid(live));
      expect(res.status, `${path}: ${res.text.slice(0, 300)}`).toBe(200);
    }
    expect(
      await env.query(`SELECT status FROM payment.rider_fees WHERE order_id = $1`, [readyOrderId]),
    ).toEqual([{ status: "REGISTERED" }]);
  }, 300_000);

  it("bodies and query inputs that are not JSON are refused with 400", async () => {
    for (const t of targets) {
      await fc.assert(
        fc.asyncProperty(notJson, async (body) => {
          const res = await send(t, body, true);
          expectClearRefusal(res, `${t.path} ${JSON.stringify(body)}`);
          expect(res.status).toBe(400);
          expect(res.json.error.message).toMatch(/^The request is not valid JSON: /);
        }),
        { numRuns: 10, endOnFailure: true, seed },
      );
    }
  }, 120_000);

  it("deeply nested JSON (15,000 levels) is refused without hurting the process", async () => {
    const placeTarget = targets.find((x) => x.path === "order.place")!;
    // Built as text: JSON.stringify itself would overflow the stack on such values.
    const nestedText = (depth: number, kind: "array" | "object") =>
      kind === "array"
        ? "[".repeat(depth) + "1" + "]".repeat(depth)
        : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
    for (const kind of ["array", "object"] as const) {
      for (const t of [placeTarget, targets.find((x) => x.path === "identity.signUp")!]) {
        const res = await send(t, nestedText(15_000, kind), true); // ~75 KB, under the body limit
        expect(res.status).toBe(400);
        expectClearRefusal(res, `${t.path} nested ${kind}`);
      }
      // Nested inside a valid input, as a field's value.
      const valid = JSON.stringify({ ...placeTarget.valid(nowhere()), note: undefined });
      const res = await send(placeTarget, `${valid.slice(0, -1)},"note":${nestedText(10_000, kind)}}`, true);
      expectClearRefusal(res, `order.place note nested ${kind}`);
    }
    expect((await fetch(`${env.urlFor("order")}/healthz`)).status).toBe(200);
  });
});

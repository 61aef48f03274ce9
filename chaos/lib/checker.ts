/**
 * After the faults stopped and the system went quiet: reads every context's own tables and the
 * read models and checks invariants 1–6 of the design brief. Each finding goes into one
 * category; every category except `orders` must be empty for the run to pass.
 */
import type pg from "pg";
import { contextSchemas } from "@baedal/api/testing";
import type { ConsumerInfo } from "./consumers.js";
import type { Journey } from "./driver.js";
import type { WorkerExit } from "./workers.js";

export const failingCategories = [
  "lostEvents",
  "deadLetters",
  "duplicateEffects",
  "paymentViolations",
  "propagationGaps",
  "readModelMismatches",
  "stuckOrders",
  "driverSurprises",
  "workerCrashes",
] as const;
export type Category = (typeof failingCategories)[number];

export interface CheckResult {
  orders: {
    placed: number;
    delivered: number;
    cancelled: number;
    declined: number;
    expired: number;
    checkoutAttempts: number;
    events: number;
    /** Rider fees settled (payment's settlements). */
    settlements: number;
    /** Orders cancelled after the rider had picked them up, delivered anyway (the race the suite provokes). */
    cancelledYetDelivered: number;
  };
  counts: Record<Category, number>;
  /** The first findings of each category, for the report. */
  findings: Record<Category, string[]>;
}

const KEEP = 40;

interface OrderRow {
  id: string;
  customer_id: string;
  status: string;
  seq: number;
  total_krw: number;
  refunded_krw: number | null;
  cancelled_by: string | null;
  rider_id: string | null;
}
interface OutboxRow {
  schema: string;
  id: string;
  type: string;
  source: string;
  order_id: string | null;
  causation_id: string | null;
  data: Record<string, unknown>;
  published: boolean;
}

const terminal = new Set(["DELIVERED", "CANCELLED"]);
const orderRank: Record<string, number> = {
  PLACED: 0,
  ACCEPTED: 1,
  COOKING: 2,
  READY: 3,
  RIDER_ASSIGNED: 4,
  PICKED_UP: 5,
  DELIVERED: 6,
};

function groupBy<T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

export async function check(
  db: pg.Pool,
  opts: { consumers: ConsumerInfo[]; runningContexts: string[]; journeys: Journey[]; exits: WorkerExit[] },
): Promise<CheckResult> {
  const counts = Object.fromEntries(failingCategories.map((c) => [c, 0])) as Record<Category, number>;
  const findings = Object.fromEntries(failingCategories.map((c) => [c, [] as string[]])) as Record<
    Category,
    string[]
  >;
  const found = (c: Category, msg: string) => {
    counts[c]++;
    if (findings[c].length < KEEP) findings[c].push(msg);
  };
  const q = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
    (await db.query<T>(sql, params)).rows;
  const short = (id: string | null | undefined) => (id ? id.slice(0, 8) : "-");

  // ---- every context's events, as written to its outbox --------------------------------------
  const outbox: OutboxRow[] = [];
  for (const schema of new Set(Object.values(contextSchemas))) {
    outbox.push(
      ...(await q<OutboxRow>(
        `SELECT $1::text AS schema, id, payload->>'type' AS type, payload->>'source' AS source,
                payload->>'orderId' AS order_id, payload->>'causationId' AS causation_id,
                payload->'data' AS data, published_at IS NOT NULL AS published
           FROM "${schema}".outbox`,
        [schema],
      )),
    );
  }

  // ---- lost events and dead letters: every event a consumer handles was applied by it -------
  for (const e of outbox) {
    if (!e.published)
      found(
        "lostEvents",
        `${e.schema}: ${e.type} ${short(e.id)} (order ${short(e.order_id)}) never left the outbox`,
      );
  }
  const bySource = groupBy(outbox, (e) => e.source);
  for (const c of opts.consumers.filter((c) => opts.runningContexts.includes(c.context))) {
    const processed = new Set(
      (
        await q<{ event_id: string }>(
          `SELECT event_id FROM "${c.schema}".processed_event WHERE consumer = $1`,
          [c.name],
        )
      ).map((r) => r.event_id),
    );
    const parked = new Map(
      (
        await q<{ event_id: string; error: string }>(
          `SELECT event_id, error FROM "${c.schema}".dead_letter WHERE consumer = $1 AND event_id IS NOT NULL`,
          [c.name],
        )
      ).map((r) => [r.event_id, r.error]),
    );
    const types = new Set(c.types);
    for (const e of bySource.get(c.source) ?? []) {
      if (!types.has(e.type) || processed.has(e.id)) continue;
      const why = parked.get(e.id);
      if (why !== undefined)
        found(
          "deadLetters",
          `${c.name}: ${e.type} ${short(e.id)} (order ${short(e.order_id)}) parked: ${why}`,
        );
      else
        found("lostEvents", `${c.name}: ${e.type} ${short(e.id)} (order ${short(e.order_id)}) never applied`);
    }
    const unreadable = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${c.schema}".dead_letter WHERE consumer = $1 AND event_id IS NULL`,
      [c.name],
    );
    if (unreadable[0]!.n > 0)
      found("deadLetters", `${c.name}: ${unreadable[0]!.n} unreadable message(s) parked`);
  }

  // ---- duplicate effects: one event per fact, one row per fact --------------------------------
  const perFact = groupBy(
    outbox.filter((e) => e.order_id && e.type !== "NotificationCreated"),
    (e) => `${e.schema}|${e.type}|${e.order_id}`,
  );
  for (const [k, list] of perFact) {
    const [schema, type, orderId] = k.split("|");
    // A rider call the store gave up on (its process died, payment froze) has its fee withdrawn;
    // the shop's next call registers it afresh: one registration more per withdrawal, and at
    // most one withdrawal per registration.
    const count = (t: string) => perFact.get(`${schema}|${t}|${orderId}`)?.length ?? 0;
    const allowed =
      type === "RiderFeeRegistered"
        ? 1 + count("RiderFeeWithdrawn")
        : type === "RiderFeeWithdrawn"
          ? count("RiderFeeRegistered")
          : 1;
    if (list.length > allowed) {
      found("duplicateEffects", `${schema}: ${type} emitted ${list.length}× for order ${short(orderId)}`);
    }
  }
  const notifications = groupBy(
    outbox.filter((e) => e.type === "NotificationCreated"),
    (e) => `${e.causation_id}|${e.data.recipientId}|${e.data.kind}`,
  );
  for (const [k, list] of notifications) {
    if (list.length > 1)
      found(
        "duplicateEffects",
        `notification: ${list.length} notifications for one cause (${k.slice(0, 8)}, ${String(list[0]!.data.kind)})`,
      );
  }
  const dupRows: [string, string][] = [
    [
      "charges",
      `SELECT idempotency_key AS k, count(*)::int AS n FROM payment.sandbox_charges GROUP BY 1 HAVING count(*) > 1`,
    ],
    [
      "payments",
      `SELECT order_id AS k, count(*)::int AS n FROM payment.payments GROUP BY 1 HAVING count(*) > 1`,
    ],
    [
      "ledger lines",
      `SELECT kind || ' ' || order_id AS k, count(*)::int AS n FROM payment.ledger_entries GROUP BY kind, order_id HAVING count(*) > 1`,
    ],
    [
      "settlements per order",
      `SELECT order_id AS k, count(*)::int AS n FROM payment.settlements GROUP BY 1 HAVING count(*) > 1`,
    ],
    [
      "settlements per call",
      `SELECT rider_call_id AS k, count(*)::int AS n FROM payment.settlements GROUP BY 1 HAVING count(*) > 1`,
    ],
    ["tickets", `SELECT order_id AS k, count(*)::int AS n FROM store.tickets GROUP BY 1 HAVING count(*) > 1`],
    [
      "rider calls",
      `SELECT order_id AS k, count(*)::int AS n FROM delivery.rider_calls GROUP BY 1 HAVING count(*) > 1`,
    ],
    [
      "My page notifications",
      `SELECT payload->'payload'->>'notificationId' AS k, count(*)::int AS n FROM mypage.live_feed_entries
        WHERE payload->>'kind' = 'NOTIFICATION' GROUP BY 1 HAVING count(*) > 1`,
    ],
  ];
  for (const [what, sql] of dupRows) {
    for (const r of await q<{ k: string; n: number }>(sql))
      found("duplicateEffects", `${what}: ${r.n}× ${r.k}`);
  }

  // ---- the write side ---------------------------------------------------------------------------
  const orders = await q<OrderRow>(
    `SELECT id, customer_id, status, seq, total_krw, refunded_krw, cancelled_by, rider_id FROM ordering.orders`,
  );
  const orderById = new Map(orders.map((o) => [o.id, o]));
  const attempts = await q<{ id: string; status: string; customer_id: string; idempotency_key: string }>(
    `SELECT id, status, customer_id, idempotency_key FROM ordering.checkout_attempts`,
  );
  const payments = new Map(
    (
      await q<{ order_id: string; status: string; amount_krw: number }>(
        `SELECT order_id, status, amount_krw FROM payment.payments`,
      )
    ).map((p) => [p.order_id, p]),
  );
  const charges = new Map(
    (
      await q<{ k: string; status: string; amount_krw: number }>(
        `SELECT idempotency_key AS k, status, amount_krw FROM payment.sandbox_charges`,
      )
    ).map((c) => [c.k, c]),
  );
  const ledger = groupBy(
    await q<{ kind: string; order_id: string; amount_krw: number }>(
      `SELECT kind, order_id, amount_krw FROM payment.ledger_entries`,
    ),
    (l) => l.order_id,
  );
  const fees = new Map(
    (
      await q<{ order_id: string; status: string; fee_krw: number }>(
        `SELECT order_id, status, fee_krw FROM payment.rider_fees`,
      )
    ).map((f) => [f.order_id, f]),
  );
  const settlements = await q<{
    id: string;
    order_id: string;
    rider_call_id: string;
    rider_id: string;
    fee_krw: number;
  }>(`SELECT id, order_id, rider_call_id, rider_id, fee_krw FROM payment.settlements`);
  const settlementByOrder = new Map(settlements.map((s) => [s.order_id, s]));
  const tickets = new Map(
    (
      await q<{ order_id: string; status: string; tombstone: boolean; rider_called: boolean }>(
        `SELECT order_id, status, lines = '[]'::jsonb AS tombstone, rider_called_at IS NOT NULL AS rider_called FROM store.tickets`,
      )
    ).map((t) => [t.order_id, t]),
  );
  const calls = await q<{
    id: string;
    order_id: string;
    status: string;
    rider_id: string | null;
    fee_krw: number;
    settlement_status: string | null;
    settlement_id: string | null;
  }>(
    `SELECT id, order_id, status, rider_id, fee_krw, settlement_status, settlement_id FROM delivery.rider_calls`,
  );
  const callByOrder = new Map(calls.map((c) => [c.order_id, c]));
  const ledgerSum = (orderId: string, kind: string) => {
    const lines = (ledger.get(orderId) ?? []).filter((l) => l.kind === kind);
    return lines.length ? lines.reduce((s, l) => s + l.amount_krw, 0) : null;
  };

  // ---- invariants 1 and 2: money follows orders --------------------------------------------
  for (const o of orders) {
    const p = payments.get(o.id);
    const cancelled = o.status === "CANCELLED";
    const id = `order ${short(o.id)} (${o.status})`;
    if (!p) {
      found("paymentViolations", `${id} has no payment`);
      continue;
    }
    const want = cancelled ? "REFUNDED" : "AUTHORIZED";
    if (p.status !== want) found("paymentViolations", `${id}: payment is ${p.status}, expected ${want}`);
    if (p.amount_krw !== o.total_krw)
      found("paymentViolations", `${id}: payment ${p.amount_krw} ≠ order total ${o.total_krw}`);
    const charge = charges.get(o.id);
    const wantCharge = cancelled ? "REFUNDED" : "APPROVED";
    if (charge?.status !== wantCharge)
      found(
        "paymentViolations",
        `${id}: card charge is ${charge?.status ?? "missing"}, expected ${wantCharge}`,
      );
    if (ledgerSum(o.id, "CHARGE") !== o.total_krw)
      found("paymentViolations", `${id}: ledger CHARGE ${ledgerSum(o.id, "CHARGE")} ≠ ${o.total_krw}`);
    const refund = ledgerSum(o.id, "REFUND");
    if (cancelled && refund !== -o.total_krw)
      found("paymentViolations", `${id}: ledger REFUND ${refund}, expected ${-o.total_krw}`);
    if (!cancelled && refund !== null) found("paymentViolations", `${id}: refunded although not cancelled`);
    if (ledgerSum(o.id, "VOID") !== null) found("paymentViolations", `${id}: its authorization was voided`);
    if (cancelled && o.refunded_krw !== o.total_krw) {
      found(
        "paymentViolations",
        `${id}: the order records refund ${o.refunded_krw}, expected ${o.total_krw}`,
      );
    }
  }
  for (const [orderId, p] of payments) {
    if (orderById.has(orderId)) continue;
    if (p.status !== "VOIDED")
      found("paymentViolations", `payment ${p.status} for ${short(orderId)} without a placed order`);
  }
  for (const [key, c] of charges) {
    if (!orderById.has(key) && c.status === "APPROVED")
      found("paymentViolations", `card charged (${c.amount_krw}) for ${short(key)} without a placed order`);
  }
  for (const a of attempts) {
    if (a.status === "PLACED" && !orderById.has(a.id))
      found("paymentViolations", `checkout ${short(a.id)} PLACED without an order`);
    if (a.status !== "PLACED" && orderById.has(a.id))
      found("paymentViolations", `checkout ${short(a.id)} is ${a.status} but its order exists`);
  }

  // ---- invariant 3: every completed delivery settles exactly one rider fee ----------------
  for (const c of calls) {
    const s = settlementByOrder.get(c.order_id);
    const id = `rider call ${short(c.id)} (${c.status}, order ${short(c.order_id)})`;
    if (c.status === "COMPLETED") {
      if (!s)
        found(
          "paymentViolations",
          `${id}: completed but no settlement (call settlement ${c.settlement_status})`,
        );
      else {
        if (s.rider_call_id !== c.id || s.rider_id !== c.rider_id || s.fee_krw !== c.fee_krw) {
          found("paymentViolations", `${id}: settlement does not match the call (rider/fee/call)`);
        }
        if (c.settlement_status !== "SETTLED" || c.settlement_id !== s.id) {
          found("paymentViolations", `${id}: payment settled but delivery shows ${c.settlement_status}`);
        }
        if (fees.get(c.order_id)?.status !== "SETTLED")
          found("paymentViolations", `${id}: rider fee is ${fees.get(c.order_id)?.status}`);
        if (ledgerSum(c.order_id, "RIDER_SETTLEMENT") !== c.fee_krw)
          found("paymentViolations", `${id}: ledger RIDER_SETTLEMENT ≠ fee`);
      }
    } else if (s) {
      found("paymentViolations", `${id}: settled without a completed delivery`);
    }
  }
  for (const s of settlements) {
    if (!callByOrder.has(s.order_id))
      found(
        "paymentViolations",
        `settlement ${short(s.id)} for order ${short(s.order_id)} without a rider call`,
      );
  }
  for (const [orderId, f] of fees) {
    const o = orderById.get(orderId);
    if (f.status === "REGISTERED" && (!o || terminal.has(o.status))) {
      found(
        "paymentViolations",
        `rider fee for order ${short(orderId)} (${o?.status ?? "no order"}) left REGISTERED`,
      );
    }
  }

  // ---- invariant 4 (and the saga): every order's events reached store and delivery ---------
  for (const o of orders) {
    const t = tickets.get(o.id);
    const c = callByOrder.get(o.id);
    const id = `order ${short(o.id)} (${o.status})`;
    if (!t) {
      found("propagationGaps", `${id}: no ticket in store`);
      continue;
    }
    if (o.status === "CANCELLED" && !["CANCELLED", "REJECTED"].includes(t.status)) {
      found("propagationGaps", `${id}: ticket still ${t.status}`);
    }
    if (t.status === "REJECTED" && o.status !== "CANCELLED")
      found("propagationGaps", `${id}: ticket REJECTED but order not cancelled`);
    if (o.status !== "CANCELLED" && t.tombstone)
      found("propagationGaps", `${id}: store holds a tombstone for a live order`);
    const rank = orderRank[o.status] ?? -1;
    const ticketRank: Record<string, number> = { NEW: 0, ACCEPTED: 1, COOKING: 2, READY: 3 };
    if (o.status !== "CANCELLED" && Math.min(rank, 3) > (ticketRank[t.status] ?? -1)) {
      found("propagationGaps", `${id}: ahead of its ticket (${t.status})`);
    }
    if (t.rider_called && !c)
      found("propagationGaps", `${id}: rider called by the shop, but delivery has no call`);
    if (c && !fees.has(o.id)) found("propagationGaps", `${id}: rider call without a registered fee`);
    if (rank >= orderRank.RIDER_ASSIGNED! && o.status !== "CANCELLED" && !c)
      found("propagationGaps", `${id}: no rider call`);
    if (c) {
      if (o.status === "CANCELLED" && !["CANCELLED", "COMPLETED"].includes(c.status)) {
        found("propagationGaps", `${id}: rider call still ${c.status}`);
      }
      if (o.status === "DELIVERED" && c.status !== "COMPLETED")
        found("propagationGaps", `${id}: rider call ${c.status}`);
      if (c.status === "COMPLETED" && !terminal.has(o.status))
        found("propagationGaps", `${id}: delivery completed, order did not follow`);
      if (o.status === "DELIVERED" && o.rider_id !== c.rider_id)
        found("propagationGaps", `${id}: rider differs from the call's`);
    }
  }
  for (const [orderId, t] of tickets) {
    if (!orderById.has(orderId) && !t.tombstone)
      found("propagationGaps", `ticket for ${short(orderId)} without an order`);
  }

  // ---- invariant 6: read models equal the owning contexts once quiet ----------------------
  const views = new Map(
    (
      await q<{
        order_id: string;
        customer_id: string;
        status: string;
        seq: number;
        total_krw: number | null;
        refunded_krw: number | null;
        cancelled_by: string | null;
        delivery_status: string | null;
        steps: number[];
      }>(
        `SELECT order_id, customer_id, status, seq, total_krw, refunded_krw, cancelled_by, delivery_status,
                coalesce((SELECT array_agg((s->>'seq')::int ORDER BY (s->>'seq')::int) FROM jsonb_array_elements(timeline) s), '{}') AS steps
           FROM mypage.order_views`,
      )
    ).map((v) => [v.order_id, v]),
  );
  // The live feed: one entry per applied order event (each adds a timeline step), the last one
  // showing the order as it is now — what a client resuming from any id ends up with.
  const live = new Map(
    (
      await q<{ order_id: string; n: number; last_status: string; last_seq: number }>(
        `SELECT payload->>'orderId' AS order_id, count(*)::int AS n,
                (array_agg(payload->'payload'->>'status' ORDER BY seq DESC))[1] AS last_status,
                (array_agg((payload->'payload'->>'seq')::int ORDER BY seq DESC))[1] AS last_seq
           FROM mypage.live_feed_entries WHERE payload->>'kind' = 'ORDER' GROUP BY 1`,
      )
    ).map((r) => [r.order_id, r]),
  );
  const reportOrders = new Map(
    (
      await q<{
        order_id: string;
        status: string;
        seq: number;
        total_krw: number;
        cancelled: boolean;
        refunded_krw: number;
        placed: boolean;
      }>(
        `SELECT order_id, status, seq, total_krw, cancelled, refunded_krw, placed_at IS NOT NULL AS placed FROM report.orders`,
      )
    ).map((r) => [r.order_id, r]),
  );
  for (const o of orders) {
    const id = `order ${short(o.id)}`;
    const v = views.get(o.id);
    if (!v) found("readModelMismatches", `My page: ${id} missing`);
    else {
      const diffs: string[] = [];
      if (v.status !== o.status || v.seq !== o.seq)
        diffs.push(`status ${v.status}/${v.seq} vs ${o.status}/${o.seq}`);
      if (v.refunded_krw !== o.refunded_krw) diffs.push(`refund ${v.refunded_krw} vs ${o.refunded_krw}`);
      if (v.cancelled_by !== o.cancelled_by)
        diffs.push(`cancelled by ${v.cancelled_by} vs ${o.cancelled_by}`);
      if (v.total_krw !== o.total_krw) diffs.push(`total ${v.total_krw} vs ${o.total_krw}`);
      if (v.customer_id !== o.customer_id) diffs.push("customer");
      const steps = v.steps.join(",");
      const want = Array.from({ length: o.seq }, (_, i) => i + 1).join(",");
      if (steps !== want) diffs.push(`timeline steps [${steps}] vs [${want}]`);
      const l = live.get(o.id);
      if (!l || l.last_status !== o.status || l.last_seq !== o.seq) {
        diffs.push(`live feed ends at ${l?.last_status ?? "nothing"}/${l?.last_seq ?? 0}`);
      }
      if (l && l.n > o.seq)
        found("duplicateEffects", `My page live feed: ${l.n} entries for the ${o.seq} changes of ${id}`);
      else if ((l?.n ?? 0) < o.seq) diffs.push(`live feed has ${l?.n ?? 0} entries for ${o.seq} changes`);
      if (diffs.length) found("readModelMismatches", `My page: ${id}: ${diffs.join("; ")}`);
    }
    const r = reportOrders.get(o.id);
    if (!r) found("readModelMismatches", `report: ${id} missing`);
    else {
      const diffs: string[] = [];
      // The report projects only placed / cancelled / refunded / delivered (its figures), so its
      // status matches the order's once the order is finished; an unfinished one is stuck anyway.
      if (terminal.has(o.status) && (r.status !== o.status || r.seq !== o.seq))
        diffs.push(`status ${r.status}/${r.seq} vs ${o.status}/${o.seq}`);
      if (r.total_krw !== o.total_krw || !r.placed)
        diffs.push(`total ${r.total_krw} (placed ${r.placed}) vs ${o.total_krw}`);
      if (r.cancelled !== (o.status === "CANCELLED")) diffs.push(`cancelled ${r.cancelled}`);
      if (r.refunded_krw !== (o.refunded_krw ?? 0))
        diffs.push(`refund ${r.refunded_krw} vs ${o.refunded_krw}`);
      if (diffs.length) found("readModelMismatches", `report: ${id}: ${diffs.join("; ")}`);
    }
  }
  for (const id of views.keys())
    if (!orderById.has(id)) found("readModelMismatches", `My page: view of ${short(id)} without an order`);
  for (const id of reportOrders.keys())
    if (!orderById.has(id)) found("readModelMismatches", `report: row for ${short(id)} without an order`);

  const opened = new Set(
    outbox.filter((e) => e.type === "RiderCallOpened").map((e) => String(e.data.riderCallId)),
  );
  const reportCalls = new Map(
    (
      await q<{
        rider_call_id: string;
        status: string;
        fee_krw: number;
        rider_id: string | null;
        settlement: string | null;
      }>(`SELECT rider_call_id, status, fee_krw, rider_id, settlement FROM report.deliveries`)
    ).map((r) => [r.rider_call_id, r]),
  );
  const callIds = new Set(calls.map((c) => c.id));
  for (const c of calls) {
    const r = reportCalls.get(c.id);
    if (!opened.has(c.id)) {
      // Opened already cancelled (the order was cancelled first): nobody was told, nothing to report.
      if (r) found("readModelMismatches", `report: delivery ${short(c.id)} that never opened`);
      continue;
    }
    if (!r) {
      found("readModelMismatches", `report: delivery ${short(c.id)} (${c.status}) missing`);
      continue;
    }
    // My page follows the rider call too (the customer sees it cancelled, not "on the way").
    const view = views.get(c.order_id);
    if (view && view.delivery_status !== c.status)
      found("readModelMismatches", `My page: order ${short(c.order_id)}: rider call ${view.delivery_status} vs ${c.status}`);
    const diffs: string[] = [];
    if (r.status !== c.status) diffs.push(`status ${r.status} vs ${c.status}`);
    if (r.fee_krw !== c.fee_krw) diffs.push(`fee ${r.fee_krw} vs ${c.fee_krw}`);
    if (r.rider_id !== c.rider_id) diffs.push("rider");
    if (r.settlement !== c.settlement_status)
      diffs.push(`settlement ${r.settlement} vs ${c.settlement_status}`);
    if (diffs.length) found("readModelMismatches", `report: delivery ${short(c.id)}: ${diffs.join("; ")}`);
  }
  for (const id of reportCalls.keys())
    if (!callIds.has(id)) found("readModelMismatches", `report: delivery ${short(id)} without a rider call`);

  // ---- stuck: what the driver meant to advance but did not end where it should --------------
  for (const o of orders) {
    if (!terminal.has(o.status)) found("stuckOrders", `order ${short(o.id)} stopped at ${o.status}`);
  }
  for (const c of calls) {
    if (c.status === "COMPLETED" && c.settlement_status === "PENDING") {
      found("stuckOrders", `rider call ${short(c.id)}: fee settlement still PENDING`);
    }
  }
  for (const a of attempts) {
    if (["PENDING", "UNKNOWN", "UNSENT", "VOIDING"].includes(a.status))
      found("stuckOrders", `checkout ${short(a.id)} left ${a.status}`);
  }
  for (const j of opts.journeys) {
    const o = j.orderId ? orderById.get(j.orderId) : undefined;
    const tag = `journey ${j.n} (${j.fate}, ${j.card} card${j.orderId ? `, order ${short(j.orderId)}` : ""})`;
    if (j.error) {
      const gaveUp = /^(waited in vain|.*still failing at the deadline)/.test(j.error);
      found(
        gaveUp ? "stuckOrders" : "driverSurprises",
        `${tag}: ${j.error} [${j.steps.slice(-4).join(" → ")}]`,
      );
      continue;
    }
    if (j.expectedFinal && o && o.status !== j.expectedFinal) {
      found("stuckOrders", `${tag}: ${o.status}, the driver left it ${j.expectedFinal}`);
    }
    if (j.outcome === "placed" && !o) found("propagationGaps", `${tag}: placed but the order does not exist`);
  }

  // A worker that died on its own (not killed by the injector, not a crash point, not a start
  // while NATS or Postgres was down): the supervisor restarted it, but a crash is a defect.
  for (const e of opts.exits.filter((x) => x.cause === "unexpected")) {
    const last =
      e.tail
        .split("\n")
        .filter((l) => /error|Error/.test(l))
        .slice(-1)[0] ?? "";
    found(
      "workerCrashes",
      `${e.key} exited (code ${e.code}, signal ${e.signal}): ${last.trim().slice(0, 200)}`,
    );
  }

  return {
    orders: {
      placed: orders.length,
      delivered: orders.filter((o) => o.status === "DELIVERED").length,
      cancelled: orders.filter((o) => o.status === "CANCELLED").length,
      declined: attempts.filter((a) => a.status === "DECLINED").length,
      expired: attempts.filter((a) => a.status === "VOIDED").length,
      checkoutAttempts: attempts.length,
      events: outbox.length,
      settlements: settlements.length,
      cancelledYetDelivered: orders.filter(
        (o) => o.status === "CANCELLED" && callByOrder.get(o.id)?.status === "COMPLETED",
      ).length,
    },
    counts,
    findings,
  };
}

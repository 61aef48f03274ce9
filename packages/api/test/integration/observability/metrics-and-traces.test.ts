import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectMessaging, eventSubject, streamName, type Messaging } from "@baedal/events";
import { metricsAuth, TestEnv, waitFor } from "../harness.js";
import { fishShop, orderInput, seedAndSync, warmUpCheckout } from "../fixtures.js";
import {
  clientWithHeaders,
  jsonLines,
  newTraceparent,
  placeWithRetry,
  scrape,
  spansOf,
  valueOf,
} from "./support.js";

/**
 * One order placed with a `traceparent` header, followed through real processes: the trace
 * continues through the payment RPC, the outbox row, the relay's publish and store's handler,
 * whose logs carry the trace id and the orderId; /metrics of each process counts what happened.
 */
describe("observability: traces from HTTP to handlers, JSON logs, /metrics", () => {
  const env = new TestEnv();
  const spans = { BAEDAL_TRACE_EXPORT: "log" };
  let nats: Messaging;
  const trace = newTraceparent();
  let orderId: string;

  beforeAll(async () => {
    await env.setup();
    await Promise.all([
      env.start("catalog"),
      env.start("payment", { env: spans }),
      // order retries a failing event 5 times, so the test can watch it pending before it is parked.
      env.start("order", { env: { ...spans, LOG_LEVEL: "debug", BAEDAL_MAX_DELIVER: "5" } }),
      env.start("store", { env: { ...spans, LOG_LEVEL: "debug" } }),
    ]);
    await seedAndSync(env);
    nats = await connectMessaging({ url: env.natsUrl, ns: env.ns, name: "observability-test" });

    await warmUpCheckout(env);
    const api = await clientWithHeaders(env, env.actor("CUSTOMER"), { traceparent: trace.header });
    ({ orderId } = await placeWithRetry(api, orderInput(`k-${randomUUID()}`)));
    await waitFor("the ticket", async () => {
      const rows = await env.query(`SELECT 1 FROM store.tickets WHERE order_id = $1`, [orderId]);
      return rows.length === 1;
    });
  }, 180_000);

  afterAll(async () => {
    if (process.env.DUMP) for (const p of env.processes.values()) console.log(p.name, p.output.join(""));
    await nats?.nc.close();
    await env.teardown();
  });

  it("the order request's span continues the caller's trace, and so do the payment call and the publish", async () => {
    const order = env.processes.get("order")!;
    const server = await waitFor("order's request span", async () =>
      spansOf(order).find(
        (s) =>
          s.kind === "server" &&
          s.name === "POST /trpc/order.place" &&
          s.attributes["baedal.order_id"] === orderId,
      ),
    );
    expect(server.traceId).toBe(trace.traceId);
    expect(server.parentSpanId).toBe(trace.parentSpanId);
    expect(server.attributes["baedal.order_id"]).toBe(orderId);

    const rpc = spansOf(order).find(
      (s) => s.name === "payment.authorize" && s.parentSpanId === server.spanId,
    );
    expect(rpc?.kind).toBe("client");
    expect(rpc?.traceId).toBe(trace.traceId);
    expect(rpc?.parentSpanId).toBe(server.spanId);
    const served = await waitFor("payment's span for the authorization", async () =>
      spansOf(env.processes.get("payment")!).find(
        (s) => s.name === "payment.authorize serve" && s.parentSpanId === rpc!.spanId,
      ),
    );
    expect(served.traceId).toBe(trace.traceId);
    expect(served.attributes["baedal.order_id"]).toBe(orderId);

    // The outbox row remembers the request's trace context; the relay publishes in that trace.
    const [row] = await env.query<{ headers: { traceparent?: string } | null }>(
      `SELECT headers FROM ordering.outbox WHERE payload->>'orderId' = $1 AND payload->>'type' = 'OrderPlaced'`,
      [orderId],
    );
    expect(row?.headers?.traceparent).toBe(`00-${trace.traceId}-${server.spanId}-01`);
    const publish = await waitFor("the publish span", async () =>
      spansOf(order).find((s) => s.name === "publish OrderPlaced" && s.traceId === trace.traceId),
    );
    expect(publish.kind).toBe("producer");
    expect(publish.parentSpanId).toBe(server.spanId);
  });

  it("store's handler runs as a child span of that publish, and its log lines carry the trace id and orderId", async () => {
    const store = env.processes.get("store")!;
    const publish = spansOf(env.processes.get("order")!).find(
      (s) => s.name === "publish OrderPlaced" && s.traceId === trace.traceId,
    )!;
    const handler = await waitFor("store's handler span", async () =>
      spansOf(store).find((s) => s.name === "store-from-order OrderPlaced" && s.traceId === trace.traceId),
    );
    expect(handler.kind).toBe("consumer");
    expect(handler.parentSpanId).toBe(publish.spanId);
    expect(handler.attributes["baedal.order_id"]).toBe(orderId);

    const handled = jsonLines(store).find(
      (l) => l.msg === "store-from-order: OrderPlaced handled" && l.orderId === orderId,
    );
    expect(handled).toMatchObject({
      traceId: trace.traceId,
      spanId: handler.spanId,
      eventType: "OrderPlaced",
    });
    expect(handled?.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("the order process logs the request with its trace id and the orderId it created", async () => {
    const line = jsonLines(env.processes.get("order")!).find(
      (l) =>
        l.msg === "request" &&
        l.procedure === "order.place" &&
        l.traceId === trace.traceId &&
        l.status === 200,
    );
    expect(line).toMatchObject({ status: 200, orderId, level: 30 });
  });

  it("/metrics counts requests, payment calls, published and handled events, with the breaker closed", async () => {
    const order = await scrape(env.processes.get("order")!);
    const store = await scrape(env.processes.get("store")!);
    expect(
      valueOf(order.samples, "baedal_http_request_duration_seconds_count", {
        procedure: "order.place",
        method: "POST",
        status: "200",
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(order.samples, "baedal_events_published_total", { context: "order", type: "OrderPlaced" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(order.samples, "baedal_rpc_calls_total", {
        service: "payment",
        method: "authorize",
        outcome: "ok",
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(valueOf(order.samples, "baedal_rpc_breaker_state", { service: "payment" })).toBe(0);
    // What the order cost: statements and transactions on order's pool, messages on its NATS connection.
    expect(valueOf(order.samples, "baedal_db_statements_total", { context: "order" })).toBeGreaterThanOrEqual(1);
    expect(valueOf(store.samples, "baedal_db_transactions_total", { context: "store" })).toBeGreaterThanOrEqual(1);
    expect(valueOf(order.samples, "baedal_nats_messages_total", { direction: "out" })).toBeGreaterThanOrEqual(1);
    expect(valueOf(store.samples, "baedal_nats_messages_total", { direction: "in" })).toBeGreaterThanOrEqual(1);
    // The relay's passes over the outbox: the one that published OrderPlaced, and empty polls since.
    expect(
      valueOf(order.samples, "baedal_outbox_polls_total", { context: "order", result: "published" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(order.samples, "baedal_outbox_polls_total", { context: "order", result: "empty" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(store.samples, "baedal_events_handled_total", { context: "store", type: "OrderPlaced" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(store.samples, "baedal_event_handle_duration_seconds_count", {
        context: "store",
        type: "OrderPlaced",
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(store.samples, "baedal_consumer_bound", { context: "store", consumer: "store-from-order" }),
    ).toBe(1);
    // Polled from JetStream / the database at scrape time; quiet now.
    expect(
      valueOf(store.samples, "baedal_consumer_pending_messages", {
        context: "store",
        consumer: "store-from-order",
      }),
    ).toBe(0);
    expect(valueOf(order.samples, "baedal_outbox_backlog_events", { context: "order" })).toBe(0);
    expect(valueOf(order.samples, "baedal_outbox_oldest_age_seconds", { context: "order" })).toBe(0);
    expect(
      valueOf(store.samples, "baedal_dead_letters", { context: "store", consumer: "store-from-order" }),
    ).toBe(0);
  });

  it("a failing event shows as pending while it is retried, then as failed attempts, a parked event and a dead letter", async () => {
    const order = env.processes.get("order")!;
    // A TicketAccepted for an order that does not exist: order's handler fails on every attempt.
    const ghostOrder = randomUUID();
    const ghost = {
      id: randomUUID(),
      type: "TicketAccepted",
      version: 1,
      source: "store",
      occurredAt: new Date().toISOString(),
      orderId: ghostOrder,
      key: ghostOrder,
      causationId: null,
      data: { ticketId: randomUUID(), orderId: ghostOrder, shopId: fishShop.shopId, prepMinutes: 10 },
    };
    await nats.js.publish(eventSubject(env.ns, "store", "TicketAccepted"), JSON.stringify(ghost), {
      msgID: ghost.id,
    });

    const labels = { context: "order", consumer: "order-from-store" };
    await waitFor(
      "the retried event to show as pending",
      async () => {
        const { samples } = await scrape(order);
        return (valueOf(samples, "baedal_consumer_pending_messages", labels) ?? 0) >= 1;
      },
      20_000,
      50,
    );

    const { samples } = await waitFor(
      "the event to be parked",
      async () => {
        const m = await scrape(order);
        return (valueOf(m.samples, "baedal_dead_letters", labels) ?? 0) >= 1 ? m : undefined;
      },
      30_000,
    );
    expect(valueOf(samples, "baedal_events_failed_total", { context: "order", type: "TicketAccepted" })).toBe(
      5,
    );
    expect(valueOf(samples, "baedal_events_parked_total", { context: "order", type: "TicketAccepted" })).toBe(
      1,
    );
    expect(valueOf(samples, "baedal_dead_letters", labels)).toBe(1);
    await waitFor("pending to drop back to 0", async () => {
      const m = await scrape(order);
      return valueOf(m.samples, "baedal_consumer_pending_messages", labels) === 0;
    });

    // Its handler logged each failure with the event's orderId.
    const retries = jsonLines(order).filter(
      (l) => l.msg === "order-from-store: TicketAccepted failed, retrying",
    );
    expect(retries.length).toBe(4);
    expect(retries.every((l) => l.orderId === ghostOrder && /^[0-9a-f]{32}$/.test(l.traceId))).toBe(true);
  }, 60_000);

  it("/readyz reports the consumers bound (present on JetStream) and the database and NATS up", async () => {
    const res = await fetch(`${env.processes.get("store")!.url}/readyz`, { headers: metricsAuth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; detail: Record<string, any> };
    expect(body.detail).toMatchObject({
      draining: false,
      nats: true,
      store: { database: true, consumers: { "store-from-order": { bound: true, pending: 0 } } },
    });
  });

  // Last: it breaks store's consumer.
  it("a consumer gone from JetStream is declared again by its process: /readyz and the bound gauge come back", async () => {
    // Readiness reports a consumer missing on the server (503, bound 0) for as long as it is
    // missing; the process declares it again as soon as its pulls report it gone, so what this
    // can observe reliably is the recovery: the consumer exists again and the process is ready.
    const store = env.processes.get("store")!;
    await nats.jsm.consumers.delete(streamName(env.ns), "store-from-order");
    await waitFor(
      "store-from-order declared again",
      () => nats.jsm.consumers.info(streamName(env.ns), "store-from-order").then(() => true, () => false),
      120_000,
      250,
    );
    const body = await waitFor(
      "store ready again",
      async () => {
        const res = await fetch(`${store.url}/readyz`, { headers: metricsAuth });
        return res.status === 200 ? ((await res.json()) as { ok: boolean; detail: Record<string, any> }) : null;
      },
      60_000,
      250,
    );
    expect(body.detail.store.consumers["store-from-order"]).toMatchObject({ bound: true });
    const { samples } = await scrape(store);
    expect(
      valueOf(samples, "baedal_consumer_bound", { context: "store", consumer: "store-from-order" }),
    ).toBe(1);
  }, 200_000);
});

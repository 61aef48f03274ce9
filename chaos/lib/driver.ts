/**
 * The order stream: customers check out (some with declined or slow cards), shops accept, cook,
 * call riders or reject, riders deliver, customers and customer service cancel — all through the
 * public tRPC API, each order a "journey" with a fate drawn from the seeded random source.
 *
 * Every step is idempotent from the driver's side: it is retried while the answer is transient
 * (a killed process, "payment is busy", a lost response), and a refusal that only says "already
 * done" (the previous try succeeded but its answer was lost) is checked against the current
 * state and accepted. What the driver intended to happen to each order is recorded, so the
 * checker can tell a stuck order from one that was meant to stop.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { demoAccounts, demoId, demoShops, type Actor } from "@baedal/api/testing";
import { apiFor, GaveUp, persist, until, type Api, type ApiFailure } from "./api.js";
import { sleep, type Random } from "./random.js";

const cards = {
  ok: "4242424242424242",
  declined: "4000000000000002",
  poor: "4000000000009995",
  slow: "4000000000000119",
} as const;
type CardKind = keyof typeof cards;

type Fate =
  | "deliver"
  | "customerCancelPlaced"
  | "customerCancelAccepted"
  | "shopReject"
  | "adminCancel"
  /** Customer service cancels right after the rider picked up, racing the order's own view of it. */
  | "lateAdminCancel";

type FinalStatus = "DELIVERED" | "CANCELLED";

export interface Journey {
  n: number;
  card: CardKind;
  fate: Fate;
  customerId: string;
  idempotencyKey: string;
  shopId: string;
  orderId: string | null;
  outcome: "pending" | "placed" | "declined" | "expired" | "error";
  /** What the driver's own actions mean for the order's final status. */
  expectedFinal: FinalStatus | null;
  done: boolean;
  error: string | null;
  /** What the driver did, each with the seconds since the journey started. */
  steps: string[];
  startedAt: number;
}

export interface DriverOptions {
  db: pg.Pool;
  urlFor: (context: string) => string;
  authSecret: string;
  random: Random;
  /** Journeys running at once. */
  concurrency: number;
  /** Pause between two new journeys. */
  spawnEveryMs: number;
  log: (msg: string) => void;
}

interface Cart {
  shopId: string;
  lines: { menuItemId: string; quantity: number }[];
}

const adminActor: Actor = {
  userId: demoId("user:admin@baedal.dev"),
  role: "ADMIN",
  name: "관리자",
  shopId: null,
};

/** How far a rider call got, for judging an "illegal transition" answer to a retried step. */
const callRank: Record<string, number> = { CALLED: 0, ACCEPTED: 1, PICKED_UP: 2, COMPLETED: 3, CANCELLED: 9 };

export class Driver {
  readonly journeys: Journey[] = [];
  private readonly running = new Set<Promise<void>>();
  private menus: Map<string, { minOrderKrw: number; items: { id: string; priceKrw: number }[] }> = new Map();
  private customers: { actor: Actor; api: Api }[] = [];
  private owners = new Map<string, Api>();
  private riders: { actor: Actor; api: Api }[] = [];
  private admin!: Api;
  private deadline = Number.POSITIVE_INFINITY;

  constructor(private readonly o: DriverOptions) {}

  /** Actors, tokens and the menus customers order from (order's own catalog replica). */
  async prepare(customers = 12): Promise<void> {
    const { urlFor, authSecret } = this.o;
    const { rows } = await this.o.db.query<{
      shop_id: string;
      min_order_krw: number;
      menu_item_id: string;
      price_krw: number;
    }>(
      `SELECT s.shop_id, s.min_order_krw, m.menu_item_id, m.price_krw
         FROM ordering.shop_replicas s JOIN ordering.menu_item_replicas m ON m.shop_id = s.shop_id
        WHERE s.is_open AND m.listed AND NOT m.sold_out`,
    );
    for (const r of rows) {
      const menu = this.menus.get(r.shop_id) ?? { minOrderKrw: r.min_order_krw, items: [] };
      menu.items.push({ id: r.menu_item_id, priceKrw: r.price_krw });
      this.menus.set(r.shop_id, menu);
    }
    if (this.menus.size === 0) throw new Error("no open shop with listed items in order's catalog replica");
    for (let i = 0; i < customers; i++) {
      const actor: Actor = {
        userId: randomUUID(),
        role: "CUSTOMER",
        name: `chaos-customer-${i}`,
        shopId: null,
      };
      this.customers.push({ actor, api: await apiFor(urlFor, authSecret, actor) });
    }
    for (const s of demoShops) {
      const shopId = demoId(`shop:${s.key}`);
      const owner: Actor = {
        userId: demoId(`user:${s.owner.email}`),
        role: "SHOP_OWNER",
        name: s.owner.name,
        shopId,
      };
      this.owners.set(shopId, await apiFor(urlFor, authSecret, owner));
    }
    const demoRiders = demoAccounts.filter((a) => a.role === "RIDER");
    const riderActors: Actor[] = [
      ...demoRiders.map((a) => ({
        userId: demoId(`user:${a.email}`),
        role: "RIDER" as const,
        name: a.name,
        shopId: null,
      })),
      { userId: randomUUID(), role: "RIDER", name: "chaos-rider-3", shopId: null },
    ];
    for (const actor of riderActors)
      this.riders.push({ actor, api: await apiFor(urlFor, authSecret, actor) });
    this.admin = await apiFor(urlFor, authSecret, adminActor);
    const until = () => Date.now() + 60_000;
    for (const r of this.riders) {
      const res = await persist("rider online", until, () =>
        r.api.delivery.setOnline.mutate({ online: true }),
      );
      if (!res.ok) throw new Error(`rider could not go online: ${res.failure.message}`);
    }
  }

  /** Starts journeys until `stopAt`; they go on running (see `finish`). */
  async drive(stopAt: number): Promise<void> {
    let n = this.journeys.length;
    let lastLog = Date.now();
    while (Date.now() < stopAt) {
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        this.o.log(`driver: ${this.progress()}`);
      }
      if (this.running.size < this.o.concurrency) {
        const j = this.newJourney(++n);
        this.journeys.push(j);
        const p = this.run(j).finally(() => this.running.delete(p));
        this.running.add(p);
      }
      await sleep(this.o.spawnEveryMs);
    }
  }

  /** Journeys so far, by outcome. */
  progress(): string {
    const by = new Map<string, number>();
    for (const j of this.journeys) {
      const k = j.done ? j.outcome : j.error ? "failed" : "running";
      by.set(k, (by.get(k) ?? 0) + 1);
    }
    return `${this.journeys.length} journeys: ${[...by].map(([k, v]) => `${v} ${k}`).join(", ")}`;
  }

  /** Lets every journey still running go on until `deadline`; what is not done by then has given up. */
  async finish(deadline: number): Promise<void> {
    this.deadline = deadline;
    await Promise.all([...this.running]);
  }

  private newJourney(n: number): Journey {
    const r = this.o.random;
    const card = r.weighted<CardKind>({ ok: 82, declined: 5, poor: 5, slow: 8 });
    const fate = r.weighted<Fate>({
      deliver: 50,
      customerCancelPlaced: 10,
      customerCancelAccepted: 8,
      shopReject: 10,
      adminCancel: 14,
      lateAdminCancel: 8,
    });
    const customer = r.pick(this.customers);
    return {
      n,
      card,
      fate,
      customerId: customer.actor.userId,
      idempotencyKey: `chaos-${n}-${randomUUID()}`,
      shopId: r.pick([...this.menus.keys()]),
      orderId: null,
      outcome: "pending",
      expectedFinal: null,
      done: false,
      error: null,
      steps: [],
      startedAt: Date.now(),
    };
  }

  private cartFor(shopId: string): Cart {
    const menu = this.menus.get(shopId)!;
    const lines = new Map<string, number>();
    let total = 0;
    while (total < menu.minOrderKrw || lines.size === 0) {
      const item = this.o.random.pick(menu.items);
      lines.set(item.id, (lines.get(item.id) ?? 0) + 1);
      total += item.priceKrw;
    }
    return { shopId, lines: [...lines].map(([menuItemId, quantity]) => ({ menuItemId, quantity })) };
  }

  private async run(j: Journey): Promise<void> {
    try {
      await this.journey(j);
      j.done = true;
    } catch (err) {
      j.error = err instanceof Error ? err.message : String(err);
      if (!(err instanceof GaveUp)) j.outcome = j.outcome === "pending" ? "error" : j.outcome;
      j.steps.push(`! ${j.error} +${((Date.now() - j.startedAt) / 1000).toFixed(1)}s`);
    }
  }

  private async journey(j: Journey): Promise<void> {
    const deadline = () => this.deadline;
    const customer = this.customers.find((c) => c.actor.userId === j.customerId)!.api;
    const owner = this.owners.get(j.shopId)!;
    const cart = this.cartFor(j.shopId);
    const step = (s: string) => j.steps.push(`${s} +${((Date.now() - j.startedAt) / 1000).toFixed(1)}s`);

    // Checkout, retried with the same idempotency key while payment is busy. When the attempt
    // expired (payment did not answer in time and it was voided: nothing charged, no order),
    // the customer places the order again, under a new key — up to three times.
    let placed;
    for (let checkout = 1; ; checkout++) {
      const key = checkout === 1 ? j.idempotencyKey : `${j.idempotencyKey}-again-${checkout}`;
      placed = await persist("place the order", deadline, () =>
        customer.order.place.mutate({
          idempotencyKey: key,
          ...cart,
          deliveryAddress: "서울 마포구 월드컵북로 396, 101동 1203호",
          phone: "010-1234-5678",
          note: `chaos journey ${j.n}`,
          cardNumber: cards[j.card],
        }),
      );
      if (placed.ok || placed.failure.reason !== "CHECKOUT_EXPIRED" || checkout === 3) break;
      step("checkout expired; placing it again");
    }
    if (!placed.ok) {
      const f = placed.failure;
      // A declined card, or the slow card whose issuer payment stops waiting for (ISSUER_TIMEOUT).
      const refused = j.card === "declined" || j.card === "poor" || (j.card === "slow" && f.reason === "ISSUER_TIMEOUT");
      if (f.code === "PAYMENT_REQUIRED" && refused) {
        j.outcome = "declined";
        step(`declined: ${f.reason}`);
        return;
      }
      if (f.code === "CONFLICT" && f.reason === "CHECKOUT_EXPIRED") {
        j.outcome = "expired";
        step("checkout expired");
        return;
      }
      throw unexpected("place the order", f);
    }
    j.orderId = placed.value.orderId;
    j.outcome = "placed";
    if (j.card === "declined" || j.card === "poor")
      throw new Error(`a ${j.card} card was charged (order ${j.orderId})`);
    step("placed");
    const orderId = j.orderId;

    const cancelAsCustomer = async () => {
      const r = await persist("customer cancel", deadline, () =>
        customer.order.cancel.mutate({ orderId, reason: "chaos: changed my mind" }),
      );
      if (!r.ok && r.failure.reason !== "ALREADY_CANCELLED") throw unexpected("customer cancel", r.failure);
      j.expectedFinal = "CANCELLED";
      step("cancelled by customer");
    };
    /** Customer service cancels; returns false when the order had moved past pickup already. */
    const cancelAsAdmin = async () => {
      const r = await persist("admin cancel", deadline, () =>
        this.admin.order.adminCancel.mutate({ orderId, reason: "chaos: customer service" }),
      );
      if (r.ok || r.failure.reason === "ALREADY_CANCELLED") {
        j.expectedFinal = "CANCELLED";
        step("cancelled by admin");
        return true;
      }
      if (r.failure.reason === "CANCEL_NOT_ALLOWED") {
        step("admin cancel refused (past pickup)");
        return false;
      }
      throw unexpected("admin cancel", r.failure);
    };

    if (j.fate === "customerCancelPlaced") return cancelAsCustomer();

    const ticket = await until("the kitchen ticket", deadline, async () =>
      (await owner.store.board.query()).find((t) => t.orderId === orderId),
    );
    const ticketId = ticket.id;
    step("ticket on the board");

    /** One ticket command; "illegal transition" is fine when the ticket is already there (a lost answer). */
    const ticketStep = async (name: string, target: string, act: () => Promise<unknown>) => {
      const r = await persist(name, deadline, act);
      if (!r.ok) {
        const now = await persist("read the ticket", deadline, () => owner.store.ticket.query({ ticketId }));
        const status = now.ok ? now.value.status : "?";
        const already = name === "call a rider" ? now.ok && now.value.riderCalled : status === target;
        if (!already) throw unexpected(`${name} (ticket ${status})`, r.failure);
      }
      step(name);
    };

    if (j.fate === "shopReject") {
      await ticketStep("reject", "REJECTED", () =>
        owner.store.reject.mutate({ ticketId, reason: "chaos: out of stock" }),
      );
      j.expectedFinal = "CANCELLED";
      return;
    }
    await ticketStep("accept", "ACCEPTED", () => owner.store.accept.mutate({ ticketId, prepMinutes: 15 }));
    if (j.fate === "customerCancelAccepted") {
      // Wait until the order knows it was accepted, so this really is a cancel in ACCEPTED.
      await this.orderReached(orderId, "ACCEPTED");
      return cancelAsCustomer();
    }
    const adminAt =
      j.fate === "adminCancel"
        ? this.o.random.pick(["ACCEPTED", "COOKING", "READY", "RIDER_ASSIGNED"])
        : null;
    if (adminAt === "ACCEPTED") return void (await cancelAsAdmin());
    await ticketStep("start cooking", "COOKING", () => owner.store.startCooking.mutate({ ticketId }));
    if (adminAt === "COOKING") return void (await cancelAsAdmin());
    await ticketStep("mark ready", "READY", () => owner.store.markReady.mutate({ ticketId }));
    if (adminAt === "READY") return void (await cancelAsAdmin());
    // A fee drawn on every try, as an owner retrying after "payment is busy" may well change it:
    // the fee payment settles must still be the one the rider was shown.
    await ticketStep("call a rider", "READY", () =>
      owner.store.callRider.mutate({ ticketId, feeKrw: 3_000 + 500 * this.o.random.int(0, 6) }),
    );

    const rider = this.o.random.pick(this.riders);
    const call = await until("the rider call", deadline, async () =>
      (await rider.api.delivery.openCalls.query()).find((c) => c.orderId === orderId),
    );
    const callId = call.id;
    step("rider call open");
    const callStep = async (name: string, target: string, act: () => Promise<unknown>) => {
      const r = await persist(name, deadline, act);
      if (!r.ok) {
        const mine = await persist("read my calls", deadline, () => rider.api.delivery.myCalls.query());
        const c = mine.ok ? mine.value.calls.find((x) => x.id === callId) : undefined;
        if (!c || (callRank[c.status] ?? -1) < (callRank[target] ?? 99) || c.status === "CANCELLED") {
          throw unexpected(`${name} (call ${c?.status ?? "not mine"})`, r.failure);
        }
      }
      step(name);
    };
    await callStep("rider accepts", "ACCEPTED", () =>
      rider.api.delivery.accept.mutate({ riderCallId: callId }),
    );
    if (adminAt === "RIDER_ASSIGNED") return void (await cancelAsAdmin());
    await callStep("picked up", "PICKED_UP", () =>
      rider.api.delivery.pickedUp.mutate({ riderCallId: callId }),
    );
    const cancelledLate = j.fate === "lateAdminCancel" && (await cancelAsAdmin());
    await callStep("delivered", "COMPLETED", () =>
      rider.api.delivery.delivered.mutate({ riderCallId: callId }),
    );
    if (!cancelledLate) j.expectedFinal = "DELIVERED";
  }

  /** Waits until the order context itself shows `status` (events from store have arrived). */
  private async orderReached(orderId: string, status: string) {
    await until(
      `order ${status}`,
      () => this.deadline,
      async () => {
        const { rows } = await this.o.db.query<{ status: string }>(
          `SELECT status FROM ordering.orders WHERE id = $1`,
          [orderId],
        );
        return rows[0]?.status === status || rows[0]?.status === "CANCELLED";
      },
    );
  }
}

function unexpected(what: string, f: ApiFailure): Error {
  return new Error(`${what}: unexpected ${f.code}${f.reason ? `/${f.reason}` : ""}: ${f.message}`);
}

/**
 * The people and objects of the authorization table: real accounts (the seeded demo users and a
 * second customer who signs up), and the orders, tickets, rider calls, menu items and review
 * cases they create through the API, exactly as the apps would.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "../../../src/platform/auth.js";
import { contextSchemas } from "../../../src/platform/schemas.js";
import type { ContextName } from "../../../src/platform/config.js";
import { appRouter } from "../../../src/router.js";
import { demoId } from "../../../src/seed/demo-data.js";
import { fishShop, orderInput, riders } from "../fixtures.js";
import { waitFor, type TestEnv } from "../harness.js";
import { bearer, get, post, sseOutcome } from "./raw.js";

export type ActorKey = "customer" | "customer2" | "owner1" | "owner2" | "rider1" | "rider2" | "admin" | "admin2";

/** What a call came back with: ok (and its data) or the tRPC error code. */
export type CallResult = (
  { ok: true; outcome: "ok"; data: unknown } | { ok: false; outcome: string; message: string }
) & {
  /** The answer's Cache-Control (null: none); undefined for subscriptions (not read here). */
  cacheControl?: string | null;
};

type ProcedureType = "query" | "mutation" | "subscription";

/** Every procedure of the API with its type, read from the router itself. */
export function allProcedures(): Map<string, ProcedureType> {
  const procedures = (
    appRouter._def as unknown as { procedures: Record<string, { _def: { type: ProcedureType } }> }
  ).procedures;
  return new Map(Object.entries(procedures).map(([path, p]) => [path, p._def.type]));
}

const chickenShopId = demoId("shop:basak-chicken");

export class Fx {
  readonly actors: Record<ActorKey, Actor>;
  private readonly types = allProcedures();

  constructor(
    readonly env: TestEnv,
    customer2: Actor,
  ) {
    this.actors = {
      customer: {
        userId: demoId("user:customer@baedal.dev"),
        role: "CUSTOMER",
        name: "김고객",
        shopId: null,
      },
      customer2,
      owner1: fishShop.owner,
      owner2: {
        userId: demoId("user:owner2@baedal.dev"),
        role: "SHOP_OWNER",
        name: "정치킨",
        shopId: chickenShopId,
      },
      rider1: riders[0]!,
      rider2: riders[1]!,
      admin: { userId: demoId("user:admin@baedal.dev"), role: "ADMIN", name: "관리자", shopId: null },
      admin2: env.actor("ADMIN"),
    };
  }

  /** Headers of a browser call through the app's proxy, or of a server with a bearer token. */
  private async headers(who: ActorKey | null): Promise<Record<string, string>> {
    const origin = { origin: "http://localhost:3000" };
    return who ? { ...origin, ...(await bearer(this.actors[who])) } : origin;
  }

  /** Calls a procedure as `who` (null: anonymous) over plain HTTP / SSE. */
  async call(who: ActorKey | null, path: string, input: unknown): Promise<CallResult> {
    const type = this.types.get(path);
    if (!type) throw new Error(`no procedure ${path}`);
    const url = this.env.urlFor(path.split(".")[0]!);
    const headers = await this.headers(who);
    if (type === "subscription") {
      const s = await sseOutcome(url, path, input, headers, 1_500);
      if (s.error) return { ok: false, outcome: s.error.code, message: s.error.message };
      if (!s.connected) return { ok: false, outcome: "NO_STREAM", message: `status ${s.status}` };
      return { ok: true, outcome: "ok", data: s.data };
    }
    const res =
      type === "query" ? await get(url, path, input, headers) : await post(url, path, input, headers);
    const cacheControl = res.headers.get("cache-control");
    if (res.status === 200) return { ok: true, outcome: "ok", data: res.json?.result?.data, cacheControl };
    return {
      cacheControl,
      ok: false,
      outcome: res.json?.error?.data?.code ?? `HTTP_${res.status}`,
      message: res.json?.error?.message ?? res.text,
    };
  }

  /** A call that must succeed (building fixtures). */
  async must<T = unknown>(who: ActorKey | null, path: string, input?: unknown): Promise<T> {
    const r = await this.call(who, path, input);
    if (!r.ok) throw new Error(`${path} as ${who}: ${r.outcome} ${r.message}`);
    return r.data as T;
  }

  // ---- objects, each created by its legit owner -------------------------------------------

  /** A new PLACED order of the fish shop by `customer`. */
  async order(customer: ActorKey = "customer"): Promise<string> {
    const { orderId } = await this.must<{ orderId: string }>(
      customer,
      "order.place",
      orderInput(`authz-${randomUUID()}`),
    );
    return orderId;
  }

  /** The fish shop's kitchen ticket of a new order, moved to `state` by its owner. */
  async ticket(state: "PLACED" | "ACCEPTED" | "COOKING" | "READY" = "PLACED") {
    const orderId = await this.order();
    const ticket = await waitFor("the kitchen ticket", async () =>
      (await this.must<{ id: string; orderId: string }[]>("owner1", "store.board")).find(
        (t) => t.orderId === orderId,
      ),
    );
    const steps = ["ACCEPTED", "COOKING", "READY"] as const;
    for (const step of steps.slice(0, steps.indexOf(state as never) + 1)) {
      if (step === "ACCEPTED")
        await this.must("owner1", "store.accept", { ticketId: ticket.id, prepMinutes: 15 });
      if (step === "COOKING") await this.must("owner1", "store.startCooking", { ticketId: ticket.id });
      if (step === "READY") await this.must("owner1", "store.markReady", { ticketId: ticket.id });
    }
    return { orderId, ticketId: ticket.id };
  }

  /** A rider call for a new order; ACCEPTED / PICKED_UP by `rider`. */
  async riderCall(state: "CALLED" | "ACCEPTED" | "PICKED_UP" = "CALLED", rider: ActorKey = "rider1") {
    const { orderId, ticketId } = await this.ticket("READY");
    await this.must("owner1", "store.callRider", { ticketId, feeKrw: 3_000 });
    const call = await waitFor("the rider call", async () =>
      (await this.must<{ id: string; orderId: string }[]>(rider, "delivery.openCalls")).find(
        (c) => c.orderId === orderId,
      ),
    );
    if (state !== "CALLED") await this.must(rider, "delivery.accept", { riderCallId: call.id });
    if (state === "PICKED_UP") await this.must(rider, "delivery.pickedUp", { riderCallId: call.id });
    return { orderId, riderCallId: call.id };
  }

  /** A new menu item of the fish shop, IN_REVIEW. */
  async menuItem(): Promise<string> {
    const item = await this.must<{ id: string }>("owner1", "catalog.createItem", {
      name: `권한 검사 ${randomUUID().slice(0, 8)}`,
      priceKrw: 12_000,
      category: "검사",
    });
    return item.id;
  }

  /** An open review case (for a new item of the fish shop), as the admin's queue shows it. */
  async reviewCase(): Promise<string> {
    const itemId = await this.menuItem();
    const c = await waitFor("the review case", async () =>
      (await this.must<{ id: string; menuItemId: string }[]>("admin", "review.queue")).find(
        (x) => x.menuItemId === itemId,
      ),
    );
    return c.id;
  }

  /** The customer's order once My page shows it. */
  async orderOnMyPage(): Promise<string> {
    const orderId = await this.order();
    await waitFor(
      "My page to show the order",
      async () => (await this.call("customer", "mypage.order", { orderId })).outcome === "ok",
    );
    return orderId;
  }

  /** Ids of the customer's unread notifications (a new order brings some). */
  async unreadNotifications(): Promise<string[]> {
    await this.order();
    const list = await waitFor("the customer's notifications", async () => {
      const l = await this.must<{ id: string }[]>("customer", "notification.list", { unreadOnly: true });
      return l.length ? l : null;
    });
    return list.map((n) => n.id);
  }

  /** A parked event in `context`'s dead_letter table, as a consumer leaves one after its retries. */
  async deadLetter(context: ContextName): Promise<number> {
    const rows = await this.env.query<{ id: string }>(
      `INSERT INTO "${contextSchemas[context]}".dead_letter (consumer, event_id, subject, payload, error, attempts)
       VALUES ('authz-test-consumer', $1, 'authz.test', '{}'::jsonb, 'planted by the authorization test', 4) RETURNING id`,
      [randomUUID()],
    );
    return Number(rows[0]!.id);
  }
}

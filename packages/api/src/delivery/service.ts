import { randomUUID } from "node:crypto";
import {
  EventTooEarly,
  RemoteTimeoutError,
  RemoteUnavailableError,
  type EventEnvelope,
  type LiveHub,
  type PaymentClient,
} from "@baedal/events";
import type { Actor } from "../platform/auth.js";
import { DomainError, notFound } from "../platform/errors.js";
import type { ContextRuntime } from "../platform/runtime.js";
import type { Transition } from "../platform/transition.js";
import * as repo from "./adapters/repository.js";
import type { Tx } from "./adapters/repository.js";
import { RiderFeed } from "./adapters/rider-feed.js";
import * as riderCall from "./domain/rider-call.js";
import type { CallRequest, RiderCall, StoredCall } from "./domain/rider-call.js";
import { callView as view, type RiderCallView } from "./domain/rider-call-view.js";
import type { PrismaClient } from "./generated/client.js";

export type DeliveryRuntime = ContextRuntime<PrismaClient, Tx>;
export type { RiderCallView };

/** Midnight of today in Korea (UTC+9, no daylight saving), the rider's working day. */
export function startOfKoreanDay(now: Date): Date {
  const kst = 9 * 60 * 60 * 1000;
  const day = 24 * 60 * 60 * 1000;
  return new Date(Math.floor((now.getTime() + kst) / day) * day - kst);
}

/** A settlement is retried in the background once the inline attempt has had its chance. */
const SETTLE_RETRY_AFTER_MS = 3_000;
/** Conditional-update tries on one call in one transaction before giving up. */
const CHANGE_TRIES = 3;

/**
 * The rider's commands, the settlement of completed deliveries (payment settles the fee, through
 * PaymentClient), and delivery's reactions to other contexts' events: rider calls from store,
 * cancellations from order. Each change is recorded on the riders' live feed in the same
 * transaction; riders are pinged after commit.
 */
export class DeliveryService {
  private readonly feed: RiderFeed;

  /** `hub` wakes the riders' streams (index.ts starts and stops it with the context). */
  constructor(
    private readonly rt: DeliveryRuntime,
    private readonly payment: PaymentClient,
    hub: LiveHub,
  ) {
    this.feed = new RiderFeed(rt.schema, rt.db, hub, rt.uow);
  }

  /** The rider's live feed: open calls and the rider's own calls today, then every change. */
  live(actor: Actor, lastEventId: string | null | undefined, signal: AbortSignal | undefined) {
    return this.feed.follow(actor.userId, lastEventId, signal, async () => ({
      open: await this.openCalls(),
      mine: (await this.myCalls(actor)).calls,
    }));
  }

  /** Drops rider feed entries older than a day (index.ts runs it every 10 minutes); returns how many. */
  pruneFeed(): Promise<number> {
    return this.feed.prune();
  }

  async setOnline(actor: Actor, online: boolean) {
    const r = await this.rt.uow.run(async (tx) => ({
      result: await repo.setOnline(tx, actor.userId, actor.name, online),
      events: [],
    }));
    return { riderId: r.riderId, online: r.online };
  }

  async me(actor: Actor) {
    const r = await repo.rider(this.rt.db, actor.userId);
    return { riderId: actor.userId, name: actor.name, online: r?.online ?? false };
  }

  async openCalls(): Promise<RiderCallView[]> {
    return (await repo.openCalls(this.rt.db)).map(view);
  }

  async accept(actor: Actor, riderCallId: string): Promise<RiderCallView> {
    const r = await repo.rider(this.rt.db, actor.userId);
    const rider = { riderId: actor.userId, name: actor.name, online: r?.online ?? false };
    // Of two riders racing, the conditional update lets exactly one through; the other re-reads
    // the call, now ACCEPTED, and the domain answers CALL_TAKEN.
    return this.change(riderCallId, (c) => riderCall.accept(c, rider, new Date()));
  }

  async pickedUp(actor: Actor, riderCallId: string): Promise<RiderCallView> {
    return this.change(riderCallId, (c) => riderCall.pickUp(c, actor.userId, new Date()));
  }

  /**
   * Completes the delivery (COMPLETED + settlement PENDING + RiderCallCompleted, one
   * transaction), then asks payment to settle the fee. If payment is down the delivery stays
   * completed and the fee PENDING; `settlePending` picks it up later.
   */
  async delivered(actor: Actor, riderCallId: string): Promise<RiderCallView> {
    const done = await this.change(riderCallId, (c) => riderCall.deliver(c, actor.userId, new Date()));
    try {
      return (await this.settle(done.id)) ?? done;
    } catch (err) {
      this.rt.log.warn({ err: String(err), riderCallId }, "settlement failed after delivery; will retry");
      return done;
    }
  }

  /** The rider's calls today with their fees and settlement, plus totals. */
  async myCalls(actor: Actor, now = new Date()) {
    const calls = await repo.riderCallsSince(this.rt.db, actor.userId, startOfKoreanDay(now));
    const sum = (pred: (c: StoredCall) => boolean) => calls.filter(pred).reduce((s, c) => s + c.feeKrw, 0);
    return {
      calls: calls.map(view),
      totals: {
        completed: calls.filter((c) => c.status === "COMPLETED").length,
        earnedKrw: sum((c) => c.status === "COMPLETED"),
        settledKrw: sum((c) => c.settlementStatus === "SETTLED"),
        pendingKrw: sum((c) => c.settlementStatus === "PENDING"),
      },
    };
  }

  /** Background task: retries PENDING settlements; stops early while payment is unreachable. */
  async settlePending(limit = 20): Promise<number> {
    const due = await repo.pendingSettlements(
      this.rt.db,
      new Date(Date.now() - SETTLE_RETRY_AFTER_MS),
      limit,
    );
    let settled = 0;
    for (const c of due) {
      try {
        if ((await this.settle(c.id))?.settlementStatus === "SETTLED") settled++;
      } catch (err) {
        if (err instanceof RemoteUnavailableError || err instanceof RemoteTimeoutError) break;
        throw err;
      }
    }
    if (settled > 0) this.rt.log.info({ settled }, "pending rider fees settled");
    return settled;
  }

  /**
   * One settlement attempt. Payment settles once per order, so a retry after a timeout cannot
   * pay twice; we record the settlement once. Returns the call (null if it is not pending);
   * throws when payment cannot be reached (the attempt is counted first).
   */
  private async settle(riderCallId: string): Promise<RiderCallView | null> {
    const c = await repo.callById(this.rt.db, riderCallId);
    if (!c || c.settlementStatus !== "PENDING" || !c.riderId) return c && view(c);
    let reply;
    try {
      // Payment settles once per order, so asking again after a timeout is safe; a refusal is
      // an answer (`ok: false`), a payment that cannot be reached throws.
      reply = await this.payment.settleRiderFee({
        orderId: c.orderId,
        riderCallId: c.id,
        riderId: c.riderId,
        feeKrw: c.feeKrw,
      });
    } catch (err) {
      await this.attemptFailed(c.id);
      throw err;
    }
    if (!reply.ok) {
      this.rt.log.warn(
        { riderCallId, code: reply.code, message: reply.message },
        "payment refused to settle the rider fee",
      );
      await this.attemptFailed(c.id);
      return view(c);
    }
    const settlementId = reply.data.settlementId;
    const result = await this.rt.uow.run(async (tx) => {
      const now = await repo.callById(tx, riderCallId);
      if (!now) throw notFound("Rider call");
      if (now.settlementStatus === "PENDING") {
        const next = riderCall.settled(now, settlementId);
        const written = await repo.markSettled(tx, now, next);
        if (written) await this.feed.record(tx, written, now.status);
        return { result: view({ ...now, ...next }), events: [] };
      }
      return { result: view(now), events: [] };
    });
    return result;
  }

  private attemptFailed(id: string) {
    return this.rt.uow.run(async (tx) => ({ result: await repo.settleFailed(tx, id), events: [] }));
  }

  /**
   * Applies one transition in a unit of work, conditional on the status it was computed from,
   * and records it on the riders' live feed in the same transaction.
   */
  private async change(id: string, fn: (c: RiderCall) => Transition<RiderCall>): Promise<RiderCallView> {
    const result = await this.rt.uow.run(async (tx) => {
      for (let attempt = 1; ; attempt++) {
        const c = await repo.callById(tx, id);
        if (!c) throw notFound("Rider call");
        const { state, events } = fn(c);
        if (state === c) return { result: view(c), events: [] }; // nothing changed (a repeated tap)
        const written = await repo.saveCall(tx, c, state);
        if (written) {
          await this.feed.record(tx, written, c.status);
          return { result: view(written), events };
        }
        // Changed meanwhile (another rider won, the order was cancelled): re-read, decide again.
        if (attempt >= CHANGE_TRIES)
          throw new DomainError("CONFLICT", "The call changed meanwhile; please reload", "STALE");
      }
    });
    return result;
  }

  // ── Reactions to other contexts' events, each in the consumer's transaction. ──

  /**
   * A shop asked for a rider (RiderCallRequested): opens the call once; an order cancelled
   * before its call arrived leaves the call CANCELLED, never opened.
   */
  async openCall(tx: Tx, req: CallRequest, causationId: string): Promise<EventEnvelope[]> {
    await repo.lockOrder(tx, req.orderId);
    if (await repo.callByOrder(tx, req.orderId)) return []; // already opened
    const cancelled = await repo.cancelledReason(tx, req.orderId);
    const { state, events } = riderCall.open(randomUUID(), req, causationId, cancelled ?? undefined);
    const stored = await repo.insertCall(tx, state);
    if (stored?.status === "CALLED") await this.feed.record(tx, stored, null);
    return events;
  }

  /**
   * The order was cancelled: its call is cancelled (a rider's accept racing it is read again);
   * no call yet, the cancellation is remembered so a late RiderCallRequested opens nothing.
   */
  async cancelCall(tx: Tx, orderId: string, reason: string, causationId: string): Promise<EventEnvelope[]> {
    await repo.lockOrder(tx, orderId);
    for (let attempt = 1; ; attempt++) {
      const call = await repo.callByOrder(tx, orderId);
      if (!call) {
        await repo.tombstone(tx, orderId, reason);
        return [];
      }
      const { state, events } = riderCall.cancel(call, reason, causationId);
      if (state === call) return [];
      const written = await repo.saveCall(tx, call, state);
      if (written) {
        await this.feed.record(tx, written, call.status);
        return events;
      }
      if (attempt >= CHANGE_TRIES) {
        throw new EventTooEarly(`rider call of order ${orderId} changed concurrently; retrying`);
      }
    }
  }
}

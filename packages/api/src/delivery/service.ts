import { RemoteTimeoutError, RemoteUnavailableError } from "@baedal/events";
import type { Actor } from "../platform/auth.js";
import { DomainError, notFound } from "../platform/errors.js";
import type { ContextRuntime } from "../platform/runtime.js";
import type { RiderFeeSettler } from "./adapters/payment.js";
import { deliveryRepo, type StoredCall, type Tx } from "./adapters/rider-call-repo.js";
import * as riderCall from "./domain/rider-call.js";
import type { RiderCall, Transition } from "./domain/rider-call.js";
import type { PrismaClient } from "./generated/client.js";
import { callView as view, type RiderCallView } from "./call-view.js";
import type { RiderFeed } from "./rider-feed.js";

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

/** The rider's commands and the settlement of completed deliveries. */
export class DeliveryService {
  constructor(
    private readonly rt: DeliveryRuntime,
    private readonly settler: RiderFeeSettler,
    private readonly feed: RiderFeed,
  ) {}

  /** The rider's live feed: open calls and the rider's own calls today, then every change. */
  live(actor: Actor, lastEventId: string | null | undefined, signal: AbortSignal | undefined) {
    return this.feed.follow(actor.userId, lastEventId, signal, async () => ({
      open: await this.openCalls(),
      mine: (await this.myCalls(actor)).calls,
    }));
  }

  async setOnline(actor: Actor, online: boolean) {
    const r = await this.rt.uow.run(async (tx) => ({
      result: await deliveryRepo.setOnline(tx, actor.userId, actor.name, online),
      events: [],
    }));
    return { riderId: r.riderId, online: r.online };
  }

  async me(actor: Actor) {
    const r = await deliveryRepo.rider(this.rt.db, actor.userId);
    return { riderId: actor.userId, name: actor.name, online: r?.online ?? false };
  }

  async openCalls(): Promise<RiderCallView[]> {
    return (await deliveryRepo.openCalls(this.rt.db)).map(view);
  }

  async accept(actor: Actor, riderCallId: string): Promise<RiderCallView> {
    const r = await deliveryRepo.rider(this.rt.db, actor.userId);
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
    const calls = await deliveryRepo.riderCallsSince(this.rt.db, actor.userId, startOfKoreanDay(now));
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
    const due = await deliveryRepo.pendingSettlements(this.rt.db, new Date(Date.now() - SETTLE_RETRY_AFTER_MS), limit);
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
    const c = await deliveryRepo.byId(this.rt.db, riderCallId);
    if (!c || c.settlementStatus !== "PENDING" || !c.riderId) return c && view(c);
    let reply;
    try {
      reply = await this.settler.settle({ orderId: c.orderId, riderCallId: c.id, riderId: c.riderId, feeKrw: c.feeKrw });
    } catch (err) {
      await this.attemptFailed(c.id);
      throw err;
    }
    if (!reply.ok) {
      this.rt.log.warn({ riderCallId, code: reply.code, message: reply.message }, "payment refused to settle the rider fee");
      await this.attemptFailed(c.id);
      return view(c);
    }
    const settlementId = reply.data.settlementId;
    const result = await this.rt.uow.run(async (tx) => {
      const now = await deliveryRepo.byId(tx, riderCallId);
      if (!now) throw notFound("Rider call");
      if (now.settlementStatus === "PENDING") {
        const next = riderCall.settled(now, settlementId);
        if (await deliveryRepo.markSettled(tx, now.id, settlementId)) await this.feed.record(tx, now.id, now.status);
        return { result: view({ ...now, ...next }), events: [] };
      }
      return { result: view(now), events: [] };
    });
    this.feed.ping();
    return result;
  }

  private attemptFailed(id: string) {
    return this.rt.uow.run(async (tx) => ({ result: await deliveryRepo.settleFailed(tx, id), events: [] }));
  }

  /**
   * Applies one transition in a unit of work, conditional on the status it was computed from,
   * and records it on the riders' live feed in the same transaction.
   */
  private async change(id: string, fn: (c: RiderCall) => Transition): Promise<RiderCallView> {
    const result = await this.rt.uow.run(async (tx) => {
      for (let attempt = 1; ; attempt++) {
        const c = await deliveryRepo.byId(tx, id);
        if (!c) throw notFound("Rider call");
        const { state, events } = fn(c);
        if (state === c) return { result: view(c), events: [] }; // nothing changed (a repeated tap)
        if (await deliveryRepo.save(tx, c, state)) {
          await this.feed.record(tx, c.id, c.status);
          return { result: view({ ...c, ...state, updatedAt: new Date() }), events };
        }
        // Changed meanwhile (another rider won, the order was cancelled): re-read, decide again.
        if (attempt >= 3) throw new DomainError("CONFLICT", "The call changed meanwhile; please reload", "STALE");
      }
    });
    this.feed.ping();
    return result;
  }
}

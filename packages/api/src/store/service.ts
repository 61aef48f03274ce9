import { randomUUID } from "node:crypto";
import {
  EventTooEarly,
  RemoteUnavailableError,
  type CancelledBy,
  type EventEnvelope,
  type LiveHub,
  type PaymentClient,
} from "@baedal/events";
import { DomainError, notFound } from "../platform/errors.js";
import { orThrow } from "../platform/remote.js";
import type { ContextRuntime } from "../platform/runtime.js";
import type { Transition } from "../platform/transition.js";
import { BoardFeed } from "./adapters/board-feed.js";
import * as repo from "./adapters/repository.js";
import type { RiderCallClaim, Tx } from "./adapters/repository.js";
import * as ticket from "./domain/ticket.js";
import type { DeliveryStatus, PlacedOrder, StoredTicket, Ticket } from "./domain/ticket.js";
import { ticketView as view, type TicketView } from "./domain/ticket-view.js";
import type { PrismaClient } from "./generated/client.js";

export type StoreRuntime = ContextRuntime<PrismaClient, Tx>;

/** How long finished tickets stay on the board. */
const BOARD_RECENT_MS = 2 * 24 * 60 * 60 * 1000;
/** Compare-and-set tries on one ticket in one transaction before giving up. */
const CHANGE_TRIES = 3;

export type { TicketView };

/**
 * The shop owner's commands on their kitchen tickets (`shopId` is always the caller's shop), and
 * store's reactions to the order context's events: OrderPlaced opens a ticket, OrderCancelled
 * closes it, and the later steps (rider assigned, picked up, delivered, refunded) annotate it so
 * the shop's board follows the order to the door. Every change lands on the shop's board feed
 * in the same transaction; the board is pinged after commit.
 */
export class StoreService {
  private readonly boardFeed: BoardFeed;

  /** `hub` wakes the shops' boards (index.ts starts and stops it with the context). */
  constructor(
    private readonly rt: StoreRuntime,
    private readonly payment: PaymentClient,
    hub: LiveHub,
  ) {
    this.boardFeed = new BoardFeed(rt.schema, rt.db, hub, rt.uow);
  }

  /** The shop's live board: a snapshot, then every ticket change (resumable with lastEventId). */
  live(shopId: string, lastEventId: string | null | undefined, signal: AbortSignal | undefined) {
    return this.boardFeed.follow(shopId, lastEventId, signal, () => this.board(shopId));
  }

  /** Drops board feed entries older than a day (index.ts runs it every 10 minutes); returns how many. */
  pruneFeed(): Promise<number> {
    return this.boardFeed.prune();
  }

  async board(shopId: string): Promise<TicketView[]> {
    const rows = await repo.boardTickets(this.rt.db, shopId, new Date(Date.now() - BOARD_RECENT_MS));
    return rows.map(view);
  }

  async ticket(shopId: string, ticketId: string): Promise<TicketView> {
    const t = await repo.ticketForShop(this.rt.db, ticketId, shopId);
    if (!t) throw notFound("Ticket");
    return view(t);
  }

  accept(shopId: string, ticketId: string, prepMinutes: number) {
    return this.change(shopId, ticketId, (t) => ticket.accept(t, prepMinutes));
  }

  reject(shopId: string, ticketId: string, reason: string) {
    return this.change(shopId, ticketId, (t) => ticket.reject(t, reason));
  }

  startCooking(shopId: string, ticketId: string) {
    return this.change(shopId, ticketId, ticket.startCooking);
  }

  markReady(shopId: string, ticketId: string) {
    return this.change(shopId, ticketId, ticket.markReady);
  }

  /**
   * Registers the fee in payment (synchronously), then records the call and emits
   * RiderCallRequested. A fee must never stay registered without its call, whatever fails in
   * between, so the call is claimed first, in a committed row whose id names this attempt:
   *   1. claim — the ticket may take a rider call (decided by the domain), and no other call of
   *      it is under way; committed before payment is asked;
   *   2. register the fee in payment for this attempt;
   *   3. record the call and remove the claim, in one transaction.
   * If 2 or 3 fails the claim is released at once: payment withdraws the attempt's fee, then the
   * claim goes. If that cannot be done now (payment down, this process dying), the claim stays,
   * and once older than RIDER_CALL_RELEASE_AFTER_MS it is released by `releaseStaleClaims` (or
   * by the shop's next call). Payment refuses a registration of a withdrawn attempt arriving
   * late, and step 3 fails if its claim was released meanwhile: no order of events leaves a fee
   * behind. Of two calls at once (a double tap, maybe with another fee) the second finds the
   * first's claim and is told to try again; then it finds the rider called.
   */
  async callRider(shopId: string, input: { ticketId: string; destination?: string; feeKrw: number }) {
    const transition = (t: Ticket) =>
      ticket.callRider(t, {
        destination: input.destination ?? t.deliveryAddress,
        feeKrw: input.feeKrw,
        at: new Date(),
      });
    const claim = await this.claimRiderCall(shopId, input.ticketId, input.feeKrw, transition);
    let registered = false;
    try {
      orThrow(
        await this.payment.registerRiderFee({
          orderId: claim.orderId,
          shopId,
          feeKrw: claim.feeKrw,
          attemptId: claim.id,
        }),
      );
      registered = true;
      return await this.change(shopId, input.ticketId, transition, async (tx) => {
        if (!(await repo.removeClaim(tx, claim.id))) {
          throw new DomainError(
            "SERVICE_UNAVAILABLE",
            "Calling the rider took too long; please call again",
            "RIDER_CALL_GIVEN_UP",
          );
        }
      });
    } catch (err) {
      await this.giveUp(claim, registered || !nothingRegistered(err));
      throw err;
    }
  }

  /** Step 1 of callRider: the claim, once the domain allows the call (a stale claim is released first). */
  private async claimRiderCall(
    shopId: string,
    ticketId: string,
    feeKrw: number,
    transition: (t: Ticket) => Transition<Ticket>,
  ): Promise<RiderCallClaim> {
    return this.rt.uow.run(async (tx) => {
      await repo.lockTicket(tx, ticketId);
      const t = await repo.ticketForShop(tx, ticketId, shopId);
      if (!t) throw notFound("Ticket");
      transition(t); // refuses what the recording would refuse, before payment is asked
      const held = await repo.claimOfTicket(tx, ticketId);
      if (held) {
        if (held.claimedAt.getTime() > Date.now() - this.releaseAfterMs) {
          throw new DomainError(
            "SERVICE_UNAVAILABLE",
            "A rider call for this ticket is in progress; please try again in a moment",
            "RIDER_CALL_IN_PROGRESS",
          );
        }
        await this.withdrawFee(held);
        await repo.removeClaim(tx, held.id);
      }
      const claim = { id: randomUUID(), ticketId, orderId: t.orderId, feeKrw, claimedAt: new Date() };
      await repo.addClaim(tx, claim);
      return { result: claim, events: [] };
    });
  }

  /**
   * A failed call gives its claim up: with the fee withdrawn when payment may hold one. Left
   * for `releaseStaleClaims` when that fails too.
   */
  private async giveUp(claim: RiderCallClaim, feeMayBeRegistered: boolean): Promise<void> {
    try {
      if (feeMayBeRegistered) await this.release(claim);
      else
        await this.rt.uow.run(async (tx) => ({ result: await repo.removeClaim(tx, claim.id), events: [] }));
    } catch (err) {
      this.rt.log.warn(
        { err: String(err), ticketId: claim.ticketId, attemptId: claim.id },
        "rider call claim left for release",
      );
    }
  }

  /**
   * Withdraws the claim's fee in payment and removes the claim — unless the claim is gone (its
   * call was recorded, or someone released it). The ticket stays locked throughout, so no call
   * of it is claimed or recorded in between.
   */
  private async release(claim: RiderCallClaim): Promise<boolean> {
    return this.rt.uow.run(async (tx) => {
      await repo.lockTicket(tx, claim.ticketId);
      if (!(await repo.claimExists(tx, claim.id))) return { result: false, events: [] };
      await this.withdrawFee(claim);
      await repo.removeClaim(tx, claim.id);
      return { result: true, events: [] };
    });
  }

  /** Gives back whatever fee the claim's attempt registered in payment (nothing registered is fine). */
  private async withdrawFee(claim: RiderCallClaim): Promise<void> {
    orThrow(await this.payment.withdrawRiderFee({ orderId: claim.orderId, attemptId: claim.id }));
  }

  /** Releases the claims older than RIDER_CALL_RELEASE_AFTER_MS (calls that failed, processes that died). */
  async releaseStaleClaims(): Promise<number> {
    const stale = await repo.claimsBefore(this.rt.db, new Date(Date.now() - this.releaseAfterMs));
    let released = 0;
    for (const claim of stale) if (await this.release(claim)) released++;
    return released;
  }

  private get releaseAfterMs(): number {
    return this.rt.config.RIDER_CALL_RELEASE_AFTER_MS;
  }

  /**
   * Applies one transition in a unit of work and records the new state on the shop's board feed
   * in the same transaction. `first` runs at the start of that transaction with the ticket
   * locked (callRider removes its claim there).
   */
  private async change(
    shopId: string,
    ticketId: string,
    fn: (t: Ticket) => Transition<Ticket>,
    first?: (tx: Tx) => Promise<void>,
  ): Promise<TicketView> {
    const result = await this.rt.uow.run(async (tx) => {
      if (first) {
        await repo.lockTicket(tx, ticketId);
        await first(tx);
      }
      const { after, events } = await this.apply(
        () => repo.ticketForShop(tx, ticketId, shopId),
        fn,
        tx,
        () => notFound("Ticket"),
        () => new DomainError("CONFLICT", "The ticket changed meanwhile; please reload", "STALE"),
      );
      return { result: view(after), events };
    });
    return result;
  }

  /**
   * Compare-and-set: applies `fn` to the ticket `load` reads and writes the new state only if the
   * row still is what was read, then records it on the board. When someone changed the ticket
   * meanwhile it is read again and the domain decides again (a few times, then `stale()`). A
   * transition that leaves the ticket as it is writes nothing.
   */
  private async apply<T extends StoredTicket>(
    load: () => Promise<T | null>,
    fn: (t: T) => Transition<Ticket>,
    tx: Tx,
    missing: () => Error,
    stale: () => Error,
  ): Promise<{ after: StoredTicket; events: EventEnvelope[] }> {
    for (let attempt = 1; ; attempt++) {
      const before = await load();
      if (!before) throw missing();
      const { state, events } = fn(before);
      if (state === before) return { after: before, events };
      const written = await repo.saveTicket(tx, before, state);
      if (written) {
        await this.recordOnBoard(tx, written);
        return { after: written, events };
      }
      if (attempt >= CHANGE_TRIES) throw stale();
    }
  }

  /** Appends the ticket's state as just written in `tx` to its shop's board feed (a tombstone never). */
  private async recordOnBoard(tx: Tx, t: StoredTicket): Promise<void> {
    if (!ticket.isTombstone(t)) await this.boardFeed.record(tx, t);
  }

  // ── Reactions to the order context's events, each in the consumer's transaction. ──

  /** OrderPlaced: a new ticket (a duplicate, or the tombstone of an order cancelled first, skips it). */
  async openTicket(tx: Tx, order: PlacedOrder): Promise<EventEnvelope[]> {
    const t = ticket.openTicket(randomUUID(), order);
    const stored = await repo.insertTicket(tx, t);
    if (stored) await this.recordOnBoard(tx, stored);
    return [];
  }

  /**
   * OrderCancelled: closes the ticket; cancelled before the ticket exists, it leaves a tombstone
   * so a late OrderPlaced is ignored. A ticket changed (or created) meanwhile is read again.
   */
  async closeTicket(
    tx: Tx,
    order: { orderId: string; shopId: string; reason: string; cancelledBy: CancelledBy },
    causationId: string,
  ): Promise<EventEnvelope[]> {
    for (let attempt = 1; ; attempt++) {
      const t = await repo.ticketByOrder(tx, order.orderId);
      if (!t) {
        const mark = ticket.tombstone(randomUUID(), order.orderId, order.shopId, order.reason);
        if (await repo.insertTicket(tx, mark)) return [];
      } else {
        const { state, events } = ticket.cancel(t, order.reason, causationId, order.cancelledBy);
        if (state === t) return [];
        const written = await repo.saveTicket(tx, t, state);
        if (written) {
          await this.recordOnBoard(tx, written);
          return events;
        }
      }
      if (attempt >= CHANGE_TRIES) throw changedConcurrently(order.orderId);
    }
  }

  /** The order moved on with its rider: the board follows it (old news changes nothing). */
  trackDelivery(
    tx: Tx,
    orderId: string,
    status: DeliveryStatus,
    riderName?: string,
  ): Promise<EventEnvelope[]> {
    return this.annotate(tx, orderId, (t) => ticket.trackDelivery(t, status, riderName));
  }

  /** The customer got their money back: the board shows it, once. */
  recordRefund(tx: Tx, orderId: string, refundedKrw: number): Promise<EventEnvelope[]> {
    return this.annotate(tx, orderId, (t) => ticket.recordRefund(t, refundedKrw));
  }

  /** A board annotation (no events) on the order's ticket. */
  private async annotate(tx: Tx, orderId: string, fn: (t: Ticket) => Ticket): Promise<EventEnvelope[]> {
    await this.apply(
      () => repo.ticketByOrder(tx, orderId),
      (t) => ({ state: fn(t), events: [] }),
      tx,
      // The ticket (or its tombstone) precedes every later step; without it the event came early,
      // e.g. overtaking an OrderPlaced/OrderCancelled still being retried after a crash: wait for it.
      () => new EventTooEarly(`no ticket yet for order ${orderId}; retrying`),
      () => changedConcurrently(orderId),
    );
    return [];
  }
}

/** Changed by a shop command in every one of our tries: the event waits and is tried again. */
const changedConcurrently = (orderId: string) =>
  new EventTooEarly(`ticket of order ${orderId} changed concurrently; retrying`);

/** Payment refused, or was never reached: it holds no fee of this attempt. */
function nothingRegistered(err: unknown): boolean {
  return err instanceof DomainError || (err instanceof RemoteUnavailableError && err.neverDelivered);
}

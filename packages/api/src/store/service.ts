import { randomUUID } from "node:crypto";
import { RemoteUnavailableError } from "@baedal/events";
import { DomainError, notFound } from "../platform/errors.js";
import type { ContextRuntime } from "../platform/runtime.js";
import type { RiderFeeRegistry } from "./adapters/payment.js";
import { claimRepo, type RiderCallClaim } from "./adapters/rider-call-claims.js";
import { ticketRepo, type Tx } from "./adapters/ticket-repo.js";
import type { BoardFeed } from "./board-feed.js";
import * as ticket from "./domain/ticket.js";
import type { Ticket, Transition } from "./domain/ticket.js";
import type { PrismaClient } from "./generated/client.js";
import { ticketView as view, type TicketView } from "./ticket-view.js";

export type StoreRuntime = ContextRuntime<PrismaClient, Tx>;

/** How long finished tickets stay on the board. */
const BOARD_RECENT_MS = 2 * 24 * 60 * 60 * 1000;

export type { TicketView };

/** The shop owner's commands on their kitchen tickets. `shopId` is always the caller's shop. */
export class StoreService {
  constructor(
    private readonly rt: StoreRuntime,
    private readonly riderFees: RiderFeeRegistry,
    private readonly boardFeed: BoardFeed,
  ) {}

  /** The shop's live board: a snapshot, then every ticket change (resumable with lastEventId). */
  live(shopId: string, lastEventId: string | null | undefined, signal: AbortSignal | undefined) {
    return this.boardFeed.follow(shopId, lastEventId, signal, () => this.board(shopId));
  }

  async board(shopId: string): Promise<TicketView[]> {
    const rows = await ticketRepo.board(this.rt.db, shopId, new Date(Date.now() - BOARD_RECENT_MS));
    return rows.map(view);
  }

  async ticket(shopId: string, ticketId: string): Promise<TicketView> {
    const t = await ticketRepo.forShop(this.rt.db, ticketId, shopId);
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
      await this.riderFees.register({
        orderId: claim.orderId,
        shopId,
        feeKrw: claim.feeKrw,
        attemptId: claim.id,
      });
      registered = true;
      return await this.change(shopId, input.ticketId, transition, async (tx) => {
        if (!(await claimRepo.remove(tx, claim.id))) {
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
    transition: (t: Ticket) => Transition,
  ): Promise<RiderCallClaim> {
    return this.rt.uow.run(async (tx) => {
      await ticketRepo.lock(tx, ticketId);
      const t = await ticketRepo.forShop(tx, ticketId, shopId);
      if (!t) throw notFound("Ticket");
      transition(t); // refuses what the recording would refuse, before payment is asked
      const held = await claimRepo.forTicket(tx, ticketId);
      if (held) {
        if (held.claimedAt.getTime() > Date.now() - this.releaseAfterMs) {
          throw new DomainError(
            "SERVICE_UNAVAILABLE",
            "A rider call for this ticket is in progress; please try again in a moment",
            "RIDER_CALL_IN_PROGRESS",
          );
        }
        await this.riderFees.withdraw({ orderId: held.orderId, attemptId: held.id });
        await claimRepo.remove(tx, held.id);
      }
      const claim = { id: randomUUID(), ticketId, orderId: t.orderId, feeKrw, claimedAt: new Date() };
      await claimRepo.add(tx, claim);
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
        await this.rt.uow.run(async (tx) => ({ result: await claimRepo.remove(tx, claim.id), events: [] }));
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
      await ticketRepo.lock(tx, claim.ticketId);
      if (!(await claimRepo.exists(tx, claim.id))) return { result: false, events: [] };
      await this.riderFees.withdraw({ orderId: claim.orderId, attemptId: claim.id });
      await claimRepo.remove(tx, claim.id);
      return { result: true, events: [] };
    });
  }

  /** Releases the claims older than RIDER_CALL_RELEASE_AFTER_MS (calls that failed, processes that died). */
  async releaseStaleClaims(): Promise<number> {
    const stale = await claimRepo.claimedBefore(this.rt.db, new Date(Date.now() - this.releaseAfterMs));
    let released = 0;
    for (const claim of stale) if (await this.release(claim)) released++;
    return released;
  }

  private get releaseAfterMs(): number {
    return this.rt.config.RIDER_CALL_RELEASE_AFTER_MS;
  }

  /**
   * Applies one transition in a unit of work, compare-and-set against concurrent changes, and
   * records the new state on the shop's board feed in the same transaction. `first` runs at the
   * start of that transaction with the ticket locked (callRider removes its claim there).
   */
  private async change(
    shopId: string,
    ticketId: string,
    fn: (t: Ticket) => Transition,
    first?: (tx: Tx) => Promise<void>,
  ): Promise<TicketView> {
    const result = await this.rt.uow.run(async (tx) => {
      if (first) {
        await ticketRepo.lock(tx, ticketId);
        await first(tx);
      }
      for (let attempt = 1; ; attempt++) {
        const t = await ticketRepo.forShop(tx, ticketId, shopId);
        if (!t) throw notFound("Ticket");
        const { state, events } = fn(t);
        if (await ticketRepo.save(tx, t, state)) {
          await this.boardFeed.record(tx, t.id);
          return { result: view({ ...state, createdAt: t.createdAt, updatedAt: new Date() }), events };
        }
        // Someone changed the ticket meanwhile: re-read and let the domain decide again.
        if (attempt >= 3)
          throw new DomainError("CONFLICT", "The ticket changed meanwhile; please reload", "STALE");
      }
    });
    this.boardFeed.ping(shopId);
    return result;
  }
}

/** Payment refused, or was never reached: it holds no fee of this attempt. */
function nothingRegistered(err: unknown): boolean {
  return err instanceof DomainError || (err instanceof RemoteUnavailableError && err.neverDelivered);
}

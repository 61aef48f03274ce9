import { DomainError, notFound } from "../platform/errors.js";
import type { ContextRuntime } from "../platform/runtime.js";
import type { RiderFeeRegistry } from "./adapters/payment.js";
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
   * Registers the fee in payment first (synchronously); only then records the call and emits
   * RiderCallRequested. If payment refuses or cannot be reached nothing is recorded here, and
   * the shop can simply try again (registration is idempotent per order, and follows the fee).
   * The ticket is locked across the registration: of two calls at once (a double tap with
   * another fee), the second waits, then finds the rider called and is refused — so the fee
   * payment holds is always the fee of the call the rider sees.
   */
  callRider(shopId: string, input: { ticketId: string; destination?: string; feeKrw: number }) {
    return this.change(
      shopId,
      input.ticketId,
      (t) =>
        ticket.callRider(t, {
          destination: input.destination ?? t.deliveryAddress,
          feeKrw: input.feeKrw,
          at: new Date(),
        }),
      (t) => this.riderFees.register({ orderId: t.orderId, shopId, feeKrw: input.feeKrw }),
    );
  }

  /**
   * Applies one transition in a unit of work, compare-and-set against concurrent changes, and
   * records the new state on the shop's board feed in the same transaction. `beforeSave` is a
   * call to another context the transition depends on (made once the domain allowed it); while
   * it runs the ticket is locked, so a second command on it waits and is decided afterwards.
   */
  private async change(
    shopId: string,
    ticketId: string,
    fn: (t: Ticket) => Transition,
    beforeSave?: (t: Ticket) => Promise<unknown>,
  ): Promise<TicketView> {
    const result = await this.rt.uow.run(async (tx) => {
      if (beforeSave) await ticketRepo.lock(tx, ticketId);
      for (let attempt = 1; ; attempt++) {
        const t = await ticketRepo.forShop(tx, ticketId, shopId);
        if (!t) throw notFound("Ticket");
        const { state, events } = fn(t);
        await beforeSave?.(t);
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

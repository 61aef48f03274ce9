import type { LiveHub, UnitOfWork } from "@baedal/events";
import { followFeeds, LiveFeedStore, pingAfterCommit } from "../../platform/live-feed.js";
import type { StoredTicket } from "../domain/ticket.js";
import { ticketView, type TicketView } from "../domain/ticket-view.js";
import type { Prisma, PrismaClient } from "../generated/client.js";

/** How long board changes stay stored for a reconnecting tablet (longer away: a fresh snapshot). */
const BOARD_FEED_KEEP_MS = 24 * 60 * 60 * 1000;

/**
 * Each shop's live board: one feed per shop (keyed by shop id) holding every new state of its
 * tickets, written in the transaction that changed the ticket; once it commits, the shop's boards
 * are pinged with it. Tombstones never reach a board. An adapter (it writes and reads the
 * context's `live_feed_*` tables): the service builds it and is its one caller, the periodic prune
 * included (`StoreService.pruneFeed`).
 */
export class BoardFeed {
  private readonly feeds: LiveFeedStore;

  constructor(
    schema: string,
    private readonly db: PrismaClient,
    private readonly hub: LiveHub,
    private readonly uow: UnitOfWork<Prisma.TransactionClient>,
  ) {
    this.feeds = new LiveFeedStore(schema);
  }

  /** Appends the ticket's state (as just read in `tx`) to its shop's feed; its boards get it after commit. */
  async record(tx: Prisma.TransactionClient, t: StoredTicket): Promise<void> {
    const entries = await this.feeds.append(tx, t.shopId, ticketView(t));
    pingAfterCommit({ uow: this.uow, hub: this.hub }, tx, t.shopId, entries);
  }

  follow(
    shopId: string,
    lastEventId: string | null | undefined,
    signal: AbortSignal | undefined,
    board: () => Promise<TicketView[]>,
  ) {
    return followFeeds<TicketView[], TicketView>({
      store: this.feeds,
      db: this.db,
      hub: this.hub,
      wakeKey: shopId,
      feeds: [shopId],
      lastEventId,
      signal,
      snapshot: board,
    });
  }

  prune(): Promise<number> {
    return this.feeds.prune(this.db, new Date(Date.now() - BOARD_FEED_KEEP_MS));
  }
}

import type { LiveHub, UnitOfWork } from "@baedal/events";
import { followFeeds, LiveFeedStore, pingAfterCommit } from "../../platform/live-feed.js";
import type { RiderCallStatus, StoredCall } from "../domain/rider-call.js";
import { callView, publicCallView, type RiderCallView } from "../domain/rider-call-view.js";
import type { Prisma, PrismaClient } from "../generated/client.js";

/** Board of open calls every rider sees; each rider also has a feed of their own calls. */
const OPEN_CALLS_FEED = "open";
const riderFeedOf = (riderId: string) => `rider:${riderId}`;
/** Every rider stream wakes on one key: a change is cheap to re-read and riders are few. */
const WAKE_KEY = "all";
const FEED_KEEP_MS = 24 * 60 * 60 * 1000;

export interface RiderSnapshot {
  open: RiderCallView[];
  mine: RiderCallView[];
}

/**
 * The riders' live feed. A call's change is recorded in the transaction that made it: on the
 * open-calls feed while the call is or just stopped being open (opened, taken, cancelled), and
 * on its rider's own feed once it has one (accepted … delivered, settled, cancelled by the
 * platform). Once the transaction commits, every rider stream is pinged with what it recorded.
 * An adapter (it writes and reads the context's `live_feed_*` tables): the service builds it and
 * is its one caller, the periodic prune included (`DeliveryService.pruneFeed`).
 */
export class RiderFeed {
  private readonly feeds: LiveFeedStore;

  constructor(
    schema: string,
    private readonly db: PrismaClient,
    private readonly hub: LiveHub,
    private readonly uow: UnitOfWork<Prisma.TransactionClient>,
  ) {
    this.feeds = new LiveFeedStore(schema);
  }

  /**
   * Records the call's state (as just written in `tx`); `before` is its status before the change.
   * A change on both feeds (a rider taking an open call) wakes the streams once, with both entries.
   */
  async record(tx: Prisma.TransactionClient, c: StoredCall, before: RiderCallStatus | null): Promise<void> {
    const entries = [];
    if (before === "CALLED" || c.status === "CALLED") {
      entries.push(...(await this.feeds.append(tx, OPEN_CALLS_FEED, publicCallView(c))));
    }
    if (c.riderId) entries.push(...(await this.feeds.append(tx, riderFeedOf(c.riderId), callView(c))));
    pingAfterCommit({ uow: this.uow, hub: this.hub }, tx, WAKE_KEY, entries);
  }

  follow(
    riderId: string,
    lastEventId: string | null | undefined,
    signal: AbortSignal | undefined,
    snapshot: () => Promise<RiderSnapshot>,
  ) {
    return followFeeds<RiderSnapshot, RiderCallView>({
      store: this.feeds,
      db: this.db,
      hub: this.hub,
      wakeKey: WAKE_KEY,
      feeds: [OPEN_CALLS_FEED, riderFeedOf(riderId)],
      lastEventId,
      signal,
      snapshot,
    });
  }

  prune(): Promise<number> {
    return this.feeds.prune(this.db, new Date(Date.now() - FEED_KEEP_MS));
  }
}

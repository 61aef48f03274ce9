/**
 * Where the driver learns the ids a shop owner and a rider act on: the kitchen ticket and the
 * rider call of an order. In the product these reach their screens through the live board and
 * the rider feed; the driver, which plays hundreds of shop owners and riders at once, looks the
 * ids up by order id instead (one batched, indexed read every few milliseconds while someone
 * waits). Reads only: every state change still goes through the tRPC API. Its queries are
 * counted so the transactions-per-lifecycle figure can leave them out.
 */
import pg from "pg";
import { sleep } from "./stats.js";

type Kind = "ticket" | "riderCall";
const tableOf: Record<Kind, string> = { ticket: "store.tickets", riderCall: "delivery.rider_calls" };

interface Pending {
  resolve: (id: string) => void;
  reject: (e: Error) => void;
  deadline: number;
}

export class IdDirectory {
  private readonly pool: pg.Pool;
  private readonly pending: Record<Kind, Map<string, Pending>> = { ticket: new Map(), riderCall: new Map() };
  private running = false;
  private stopped = false;
  /** Transactions this directory committed in the bench database (autocommit reads). */
  queries = 0;

  constructor(
    databaseUrl: string,
    private readonly intervalMs = 10,
  ) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    this.pool.on("error", () => undefined);
  }

  ticketOf(orderId: string, timeoutMs: number): Promise<string> {
    return this.lookup("ticket", orderId, timeoutMs);
  }

  riderCallOf(orderId: string, timeoutMs: number): Promise<string> {
    return this.lookup("riderCall", orderId, timeoutMs);
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.pool.end();
  }

  private lookup(kind: Kind, orderId: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      this.pending[kind].set(orderId, { resolve, reject, deadline: Date.now() + timeoutMs });
      if (!this.running) void this.loop();
    });
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (!this.stopped && (this.pending.ticket.size > 0 || this.pending.riderCall.size > 0)) {
        for (const kind of ["ticket", "riderCall"] as const) {
          const waiting = this.pending[kind];
          if (waiting.size === 0) continue;
          const ids = [...waiting.keys()];
          this.queries++;
          const { rows } = await this.pool.query<{ order_id: string; id: string }>(
            `SELECT order_id, id FROM ${tableOf[kind]} WHERE order_id = ANY($1::uuid[])`,
            [ids],
          );
          for (const r of rows) {
            waiting.get(r.order_id)?.resolve(r.id);
            waiting.delete(r.order_id);
          }
          const now = Date.now();
          for (const [orderId, p] of waiting) {
            if (p.deadline < now) {
              waiting.delete(orderId);
              p.reject(new Error(`timeout: ${kind}`));
            }
          }
        }
        await sleep(this.intervalMs);
      }
    } catch (err) {
      for (const waiting of Object.values(this.pending)) {
        for (const p of waiting.values()) p.reject(err as Error);
        waiting.clear();
      }
    } finally {
      this.running = false;
    }
  }
}

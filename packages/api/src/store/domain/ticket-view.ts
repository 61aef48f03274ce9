import { boardColumn, type StoredTicket } from "./ticket.js";

/** A ticket as the shop's board shows it (what store.board returns and store.live streams). */
export type TicketView = ReturnType<typeof ticketView>;

export const ticketView = (t: StoredTicket) => ({
  ...t,
  column: boardColumn(t),
  riderCalledAt: t.riderCalledAt?.toISOString() ?? null,
  riderCalled: t.riderCalledAt !== null,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

/**
 * Moves one order along the way the shop owner and a rider would, through the real API:
 * accept → cooking → ready → call a rider → rider accepts → picked up → delivered.
 * Each step is its own call so a test can check the screen in between.
 */
import { demo, signIn, type BaedalClient, type SignedIn } from "./api.js";
import { eventually } from "./wait.js";

export class OrderDriver {
  private ownerSession: Promise<SignedIn> | null = null;
  private riderSession: Promise<SignedIn> | null = null;
  private ticketId: string | null = null;
  private callId: string | null = null;

  constructor(
    readonly orderId: string,
    private readonly accounts: { owner: string; rider: string } = { owner: demo.fishOwner, rider: demo.rider1 },
  ) {}

  private async owner(): Promise<BaedalClient> {
    this.ownerSession ??= signIn(this.accounts.owner);
    return (await this.ownerSession).client;
  }

  private async rider(): Promise<BaedalClient> {
    this.riderSession ??= signIn(this.accounts.rider);
    return (await this.riderSession).client;
  }

  /** The shop's ticket for the order (it appears once store has handled OrderPlaced). */
  async ticket(): Promise<string> {
    if (this.ticketId) return this.ticketId;
    const owner = await this.owner();
    const ticket = await eventually(`the shop's ticket for order ${this.orderId}`, async () =>
      (await owner.store.board.query()).find((t: { orderId: string }) => t.orderId === this.orderId),
    );
    this.ticketId = (ticket as { id: string }).id;
    return this.ticketId;
  }

  async accept(prepMinutes = 20) {
    await (await this.owner()).store.accept.mutate({ ticketId: await this.ticket(), prepMinutes });
  }

  async reject(reason: string) {
    await (await this.owner()).store.reject.mutate({ ticketId: await this.ticket(), reason });
  }

  async startCooking() {
    await (await this.owner()).store.startCooking.mutate({ ticketId: await this.ticket() });
  }

  async markReady() {
    await (await this.owner()).store.markReady.mutate({ ticketId: await this.ticket() });
  }

  async callRider(feeKrw = 3_500) {
    await (await this.owner()).store.callRider.mutate({ ticketId: await this.ticket(), feeKrw });
  }

  /** The rider goes online, finds the call in the open calls and accepts it. */
  async riderAccepts() {
    const rider = await this.rider();
    await rider.delivery.setOnline.mutate({ online: true });
    const call = await eventually(`an open rider call for order ${this.orderId}`, async () =>
      (await rider.delivery.openCalls.query()).find((c: { orderId: string }) => c.orderId === this.orderId),
    );
    this.callId = (call as { id: string }).id;
    await rider.delivery.accept.mutate({ riderCallId: this.callId });
  }

  async pickedUp() {
    await (await this.rider()).delivery.pickedUp.mutate({ riderCallId: this.requireCall() });
  }

  async delivered() {
    await (await this.rider()).delivery.delivered.mutate({ riderCallId: this.requireCall() });
  }

  private requireCall(): string {
    if (!this.callId) throw new Error("no rider call accepted yet: call riderAccepts() first");
    return this.callId;
  }
}

import { eventsSetting } from "./config.js";
import { KvWatchInclude, Kvm, type KV } from "@nats-io/kv";
import { revokedSessionsBucket, type Messaging } from "./nats.js";

/**
 * Sessions signed out before their signed cookie expires. Contexts verify a session from its
 * signed cookie alone (no call to identity), so a copied cookie would otherwise outlive its
 * sign-out. Identity records the session id here when it signs out; every process follows the
 * bucket (one watch, all keys) into memory, so the check per request is a lookup. Entries expire
 * from the bucket (its TTL) and from memory when the session would have expired anyway.
 *
 * While NATS is unreachable the set stays as it was: a sign-out during an outage reaches the
 * other processes when NATS is back (the watch resumes with every current entry).
 */
export class SessionRevocations {
  /** Session id → when its cookie expires anyway (epoch ms). */
  private readonly revoked = new Map<string, number>();
  private stopped = false;
  private following: Promise<void> | undefined;
  private current: { stop(): void } | undefined;
  private added = 0;

  private constructor(private readonly kv: KV) {}

  /** Opens (or creates) the namespace's bucket; `ttlMs` is the longest a session lives. */
  static async open(m: Messaging, ttlMs: number): Promise<SessionRevocations> {
    const kv = await new Kvm(m.nc).create(revokedSessionsBucket(m.ns), {
      ttl: ttlMs,
      history: 1,
      replicas: eventsSetting("BAEDAL_STREAM_REPLICAS"),
    });
    return new SessionRevocations(kv);
  }

  isRevoked(sessionId: string): boolean {
    const until = this.revoked.get(sessionId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.revoked.delete(sessionId);
    return false;
  }

  /** Records a sign-out for every process; `expiresAt` is when the session's cookie runs out. */
  async revoke(sessionId: string, expiresAt: Date): Promise<void> {
    const until = String(expiresAt.getTime());
    this.remember(sessionId, until);
    await this.kv.put(sessionId, until);
  }

  /**
   * Follows the bucket until `stop()`, watching again whenever a watch ends. Resolves once the
   * sign-outs already in the bucket are loaded (or after `replayWithinMs`, so a slow NATS cannot
   * hold a process's start forever), so a starting process does not take a signed-out session.
   */
  follow(onError: (err: unknown) => void = () => undefined, replayWithinMs = 5_000): Promise<void> {
    let replayed: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      replayed = resolve;
      setTimeout(resolve, replayWithinMs).unref();
    });
    this.following ??= (async () => {
      while (!this.stopped) {
        try {
          const stored = (await this.kv.status()).values;
          const watch = await this.kv.watch({ key: ">", include: KvWatchInclude.LastValue });
          this.current = watch;
          if (this.stopped) watch.stop();
          let seen = 0;
          if (stored === 0) replayed();
          for await (const e of watch) {
            if (e.operation === "PUT") this.remember(e.key, e.string());
            else this.revoked.delete(e.key);
            if (++seen >= stored) replayed();
          }
        } catch (err) {
          if (!this.stopped) onError(err);
        }
        if (!this.stopped) await new Promise((r) => setTimeout(r, 1_000));
      }
    })();
    return ready;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.stop();
    await this.following;
  }

  private remember(sessionId: string, expiresAtMs: string): void {
    const until = Number(expiresAtMs);
    if (!(Number.isFinite(until) && until > Date.now())) return;
    this.revoked.set(sessionId, until);
    // Entries are otherwise only dropped when looked up: sweep the expired now and then.
    if (++this.added % 1_000 === 0) {
      const now = Date.now();
      for (const [id, at] of this.revoked) if (at <= now) this.revoked.delete(id);
    }
  }
}

/**
 * The fault injector: at random moments it kill -9s a context worker, arms a crash point
 * (between a commit and its publish, between a handler's effect and its ack), runs a second
 * replica for a while, hangs payment (SIGSTOP), restarts NATS or Postgres, or kills the
 * database connections. The first faults go through every kind once (a short run sees all of
 * them), then kinds are drawn by weight.
 */
import type { FaultPoint } from "@baedal/events";
import type { PrivateNats, PrivatePostgres } from "./infra.js";
import { sleep, type Random } from "./random.js";
import type { Workers } from "./workers.js";

const faultKinds = [
  "kill9",
  "crashPoint",
  "replica",
  "pausePayment",
  "restartNats",
  "restartPostgres",
  "killDbConnections",
] as const;
export type FaultKind = (typeof faultKinds)[number];

const weights: Record<FaultKind, number> = {
  kill9: 30,
  crashPoint: 20,
  replica: 12,
  pausePayment: 8,
  restartNats: 9,
  restartPostgres: 8,
  killDbConnections: 13,
};

/** The workers faults aim at: the order flow (catalog only published the seed; it is left alone). */
const targets = ["order", "payment", "store", "delivery", "mypage", "notification", "report"];
/** Invariant 4: these may be down for longer, customers must still be able to order. */
const optionalContexts = new Set(["store", "delivery", "mypage", "notification", "report"]);
const publishers = ["order", "payment", "store", "delivery", "notification"];
/** Faults that take a worker down; they wait until enough workers are back up. */
const workerFaults = new Set<FaultKind>(["kill9", "crashPoint"]);
const crashPoints: FaultPoint[] = [
  "outbox.beforePublish",
  "outbox.beforeMarkPublished",
  "consumer.beforeAck",
];

export interface FaultRecord {
  /** Seconds since the injector started. */
  t: number;
  kind: FaultKind;
  target: string;
  detail: string;
}

export interface InjectorOptions {
  random: Random;
  workers: Workers;
  nats: PrivateNats;
  postgres: PrivatePostgres;
  database: string;
  /** Pause between two faults. */
  gapMs: [number, number];
  /**
   * Worker faults wait while this many main workers are still down (restarting): on a slow
   * machine a restart takes long, and a system that never gets back up tests nothing.
   */
  maxDown: number;
  log: (msg: string) => void;
}

export class FaultInjector {
  readonly faults: FaultRecord[] = [];
  /** NATS and Postgres faults never overlap each other. */
  private infra: Promise<void> = Promise.resolve();
  private started = 0;

  constructor(private readonly o: InjectorOptions) {}

  async run(stopAt: number): Promise<void> {
    this.started = Date.now();
    const queue = this.o.random.shuffle(faultKinds);
    while (Date.now() < stopAt) {
      await sleep(this.o.random.int(...this.o.gapMs));
      if (Date.now() >= stopAt) break;
      const kind = queue.shift() ?? this.o.random.weighted(weights);
      if (workerFaults.has(kind)) await this.untilEnoughUp(stopAt);
      if (Date.now() >= stopAt) break;
      // Not awaited: a replica lives on, a pause lasts, while the next fault comes.
      void this.inject(kind).catch((err) => this.o.log(`fault ${kind} failed to inject: ${String(err)}`));
    }
  }

  private async untilEnoughUp(stopAt: number) {
    while (this.o.workers.down().length >= this.o.maxDown && Date.now() < stopAt) await sleep(250);
  }

  /** A live process of the order flow, or null when none is up. */
  private upTarget(among: string[]): string | null {
    const up = among.filter((c) => this.o.workers.isUp(c));
    return up.length ? this.o.random.pick(up) : null;
  }

  /** Waits for faults still in progress (an infra restart finishing). */
  async settle(): Promise<void> {
    await this.infra;
  }

  private record(kind: FaultKind, target: string, detail: string) {
    const f = { t: Math.round((Date.now() - this.started) / 100) / 10, kind, target, detail };
    this.faults.push(f);
    this.o.log(`fault t=${f.t}s ${kind} ${target} ${detail}`);
  }

  private async inject(kind: FaultKind): Promise<void> {
    const { random: r, workers } = this.o;
    switch (kind) {
      case "kill9": {
        const target = this.upTarget(targets);
        if (!target) return;
        const down = optionalContexts.has(target) ? r.int(300, 8_000) : r.int(300, 4_000);
        if (await workers.kill9(target, down)) this.record(kind, target, `down ${down}ms`);
        return;
      }
      case "crashPoint": {
        const point = r.pick(crashPoints);
        const target = this.upTarget(point.startsWith("outbox") ? publishers : targets);
        if (!target) return;
        if (await workers.armCrashPoint(target, point)) this.record(kind, target, point);
        return;
      }
      case "replica": {
        const target = r.pick(targets);
        const lifetime = r.int(5_000, 20_000);
        const end = r.chance(0.5) ? "kill" : "term";
        this.record(kind, `${target}#b`, `for ${lifetime}ms, then ${end}`);
        await workers.replica(target, lifetime, end);
        return;
      }
      case "pausePayment": {
        const ms = r.int(1_500, 6_000);
        this.record(kind, "payment", `SIGSTOP ${ms}ms`);
        await workers.pause("payment", ms);
        return;
      }
      case "restartNats":
      case "restartPostgres":
      case "killDbConnections": {
        const run = async () => {
          if (kind === "killDbConnections") {
            const n = await this.o.postgres.killConnections(this.o.database);
            this.record(kind, "postgres", `${n} connection(s) terminated`);
            return;
          }
          const down = r.int(300, kind === "restartPostgres" ? 6_000 : 3_000);
          this.record(kind, kind === "restartNats" ? "nats" : "postgres", `down ${down}ms`);
          if (kind === "restartNats") await this.o.nats.restart(down);
          else await this.o.postgres.restart(down);
        };
        this.infra = this.infra.then(run).catch((err) => this.o.log(`fault ${kind} failed: ${String(err)}`));
        await this.infra;
        return;
      }
    }
  }
}

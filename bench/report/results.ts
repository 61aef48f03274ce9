/** The shape of bench/results/<date>.json, and the ratios computed from the raw figures. */
import type { HttpBaseline } from "../baseline/http.js";
import type { NatsBaseline } from "../baseline/nats.js";
import type { PgBaseline } from "../baseline/postgres.js";
import type { StatementCost } from "../baseline/prisma.js";
import type { MachineBusyness } from "../lib/machine.js";
import type { AllInOne } from "../load/all-in-one.js";
import type { FanoutLevel } from "../load/fanout.js";
import type { Footprint } from "../load/footprint.js";
import type { LoadLevel } from "../load/ordering.js";
import type { StepProbe } from "../load/step-probe.js";
import type { PlaceOrderProfile } from "../profile/place-order.js";
import { ratio } from "../lib/stats.js";

export interface BenchResults {
  /** 2: baselines before the contexts start; cost per lifecycle and per step, footprint, all-in-one, busyness. */
  version: 2;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    /** The Node the context processes ran on (older results: the same as `node`). */
    contextNode?: string;
    loadAverageAtStart: number[];
    note: string;
    /** How busy the machine was over the run, and with what (null until the run ends). */
    busyness: MachineBusyness | null;
  };
  git: { commit: string; dirty: boolean };
  config: Record<string, unknown>;
  baselines: { nats: NatsBaseline; postgres: PgBaseline; http: HttpBaseline; prisma: StatementCost[] };
  /** Spawn → healthy, idle memory and idle activity of the split processes. */
  footprint: Footprint | null;
  stepProbe: StepProbe | null;
  load: LoadLevel[];
  fanout: FanoutLevel[];
  profile: PlaceOrderProfile | null;
  /** The same lifecycle load against every context in one process. */
  allInOne: AllInOne | null;
  ratios: Ratios;
  notes: string[];
  /** The results file this run was compared with (set when the reports are written). */
  comparedWith?: string | null;
}

interface LevelRatios {
  clients: number;
  /** place-order p99 (place-only) ÷ raw Postgres single-row insert p99 at the same concurrency. */
  placeP99OverPgInsertP99: number;
  pgInsertConnections: number;
  /** lifecycle orders/s × transactions per lifecycle ÷ raw Postgres transactions/s. */
  lifecycleShareOfPgTps: number;
  /** event-to-screen p99 ÷ raw JetStream pub→consume p99. */
  eventToScreenP99OverJsP99: number;
  /** event-to-screen p99 ÷ raw core NATS pub→sub p99. */
  eventToScreenP99OverCoreP99: number;
  /** place-order requests/s (place-only) ÷ bare Node HTTP requests/s. */
  placeRpsOverBareHttpRps: number;
}

export interface Ratios {
  /**
   * Postgres transactions per lifecycle, from the level with the most completed lifecycles:
   * the idle system's background (outbox relay polls, timers) is subtracted as an estimate, and
   * it weighs least where the most lifecycles ran.
   */
  transactionsPerLifecycle: { value: number; fromClients: number };
  levels: LevelRatios[];
  fanout: {
    subscribers: number;
    deliveryP99OverJsP99: number;
    heapKiBPerConnection: number;
    rssKiBPerConnection: number;
  }[];
}

/** The raw insert level to compare a load level with: same connections, else the nearest below. */
function pgLevelFor(pg: PgBaseline, clients: number) {
  const sorted = [...pg.levels].sort((a, b) => a.connections - b.connections);
  return sorted.filter((l) => l.connections <= clients).at(-1) ?? sorted[0]!;
}

export function computeRatios(
  b: BenchResults["baselines"],
  load: LoadLevel[],
  fanout: FanoutLevel[],
): Ratios {
  const best = [...load]
    .filter((l) => Number.isFinite(l.lifecycle.transactions.perLifecycle))
    .sort((x, y) => y.lifecycle.transactions.lifecycles - x.lifecycle.transactions.lifecycles)[0];
  const txPerLifecycle = best ? best.lifecycle.transactions.perLifecycle : Number.NaN;
  return {
    transactionsPerLifecycle: { value: txPerLifecycle, fromClients: best?.clients ?? 0 },
    levels: load.map((l) => {
      const pg = pgLevelFor(b.postgres, l.clients);
      const txPerSecond = l.lifecycle.deliveredPerSecond * txPerLifecycle;
      return {
        clients: l.clients,
        placeP99OverPgInsertP99: ratio(l.placeOnly.latency.p99, pg.latency.p99, 1),
        pgInsertConnections: pg.connections,
        lifecycleShareOfPgTps: ratio(txPerSecond, b.postgres.maxPerSecond, 3),
        eventToScreenP99OverJsP99: ratio(l.lifecycle.eventToScreen.p99, b.nats.jsPubConsume.p99, 1),
        eventToScreenP99OverCoreP99: ratio(l.lifecycle.eventToScreen.p99, b.nats.corePubSub.p99, 1),
        placeRpsOverBareHttpRps: ratio(l.placeOnly.perSecond, b.http.maxPerSecond, 3),
      };
    }),
    fanout: fanout.map((f) => ({
      subscribers: f.subscribers,
      deliveryP99OverJsP99: ratio(f.delivery.eventToScreen.p99, b.nats.jsPubConsume.p99, 1),
      heapKiBPerConnection: f.memory.heapPerConnectionKiB,
      rssKiBPerConnection: f.memory.rssPerConnectionKiB,
    })),
  };
}

/**
 * What NATS on this machine allows, with the nats client only (no Baedal code):
 * - JetStream async publish rate: acked publishes with a window in flight, as the outbox relay
 *   publishes a batch and awaits the acks together;
 * - core pub→sub latency: publish on one connection, receive on another;
 * - JetStream pub→consume latency: publish, then receive through a durable pull consumer with
 *   explicit ack — the same kind of hop every Baedal event takes.
 * Everything lives in a stream of its own, deleted afterwards.
 */
import { randomBytes } from "node:crypto";
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, nanos } from "@nats-io/transport-node";
import { mono, round, summarize, type LatencySummary } from "../lib/stats.js";

export interface NatsBaseline {
  jsPublish: { messages: number; seconds: number; perSecond: number; window: number; payloadBytes: number };
  corePubSub: LatencySummary;
  jsPubConsume: LatencySummary;
}

const payload = (bytes: number) =>
  new TextEncoder().encode(JSON.stringify({ pad: randomBytes(bytes / 2).toString("hex") }).slice(0, bytes));

export async function natsBaseline(
  url: string,
  opts: { publishSeconds: number; roundTrips: number; log: (m: string) => void },
): Promise<NatsBaseline> {
  const tag = `benchraw${randomBytes(3).toString("hex")}`;
  const pub = await connect({ servers: url, name: `${tag}-pub` });
  const sub = await connect({ servers: url, name: `${tag}-sub` });
  const jsm = await jetstreamManager(pub);
  const stream = tag.toUpperCase();
  await jsm.streams.add({ name: stream, subjects: [`${tag}.>`], duplicate_window: nanos(60_000) });
  try {
    // 1. Async publish rate.
    const body = payload(700);
    const js = jetstream(pub);
    const window = 512;
    const deadline = mono() + opts.publishSeconds * 1000;
    const t0 = mono();
    let sent = 0;
    while (mono() < deadline) {
      const batch: Promise<unknown>[] = [];
      for (let i = 0; i < window; i++)
        batch.push(js.publish(`${tag}.rate`, body, { msgID: `${tag}-${sent + i}` }));
      await Promise.all(batch);
      sent += window;
    }
    const seconds = (mono() - t0) / 1000;
    opts.log(`JetStream publish: ${Math.round(sent / seconds)} msg/s`);

    // 2. Core pub→sub, one message in flight.
    const core: number[] = [];
    {
      let resolve: (() => void) | undefined;
      const s = sub.subscribe(`${tag}core.ping`, { callback: () => resolve?.() });
      await sub.flush();
      for (let i = 0; i < opts.roundTrips; i++) {
        const got = new Promise<void>((r) => (resolve = r));
        const t = mono();
        pub.publish(`${tag}core.ping`, body);
        await got;
        core.push(mono() - t);
      }
      s.unsubscribe();
    }

    // 3. JetStream pub→consume through a durable pull consumer with explicit ack.
    const jsLat: number[] = [];
    {
      await jsm.consumers.add(stream, {
        durable_name: "lat",
        filter_subject: `${tag}.lat`,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.New,
      });
      const consumer = await jetstream(sub).consumers.get(stream, "lat");
      const messages = await consumer.consume({ max_messages: 64 });
      let resolve: (() => void) | undefined;
      const loop = (async () => {
        for await (const m of messages) {
          m.ack();
          resolve?.();
        }
      })();
      const n = Math.max(200, Math.floor(opts.roundTrips / 2));
      for (let i = 0; i < n; i++) {
        const got = new Promise<void>((r) => (resolve = r));
        const t = mono();
        await js.publish(`${tag}.lat`, body);
        await got;
        jsLat.push(mono() - t);
      }
      await messages.close();
      await loop;
    }
    return {
      jsPublish: {
        messages: sent,
        seconds: round(seconds),
        perSecond: Math.round(sent / seconds),
        window,
        payloadBytes: body.length,
      },
      corePubSub: summarize(core),
      jsPubConsume: summarize(jsLat),
    };
  } finally {
    await jsm.streams.delete(stream).catch(() => undefined);
    await pub.close();
    await sub.close();
  }
}

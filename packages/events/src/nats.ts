import { eventsSetting } from "./config.js";
import { connect, nanos, type NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";

/**
 * A namespace separates one Baedal installation's subjects and stream from another's on a
 * shared NATS server (tests run with their own).
 */
export interface Messaging {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  ns: string;
}

export const streamName = (ns: string) => `${ns.toUpperCase()}_EVENTS`;
export const eventSubject = (ns: string, source: string, type: string) => `${ns}.evt.${source}.${type}`;
export const sourceFilter = (ns: string, source: string) => `${ns}.evt.${source}.>`;
export const rpcSubject = (ns: string, service: string, method: string) => `${ns}.rpc.${service}.${method}`;
/** The KV bucket of signed-out sessions (session-revocations.ts); its stream is `KV_<bucket>`. */
export const revokedSessionsBucket = (ns: string) => `${ns}_revoked_sessions`;
export const liveSubject = (ns: string, channel: string, key: string) => `${ns}.live.${channel}.${key}`;

export function assertNamespace(ns: string): string {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(ns)) throw new Error(`invalid namespace "${ns}"`);
  return ns;
}

export async function connectMessaging(opts: { url: string; ns: string; name: string }): Promise<Messaging> {
  const nc = await connect({
    servers: opts.url,
    name: opts.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    // Otherwise every request and JetStream publish builds an Error with a stack up front, in
    // case it times out: 1.1–3 % of the CPU of the processes that publish (lifecycle profile).
    noAsyncTraces: true,
  });
  const jsm = await jetstreamManager(nc);
  return { nc, js: jetstream(nc), jsm, ns: assertNamespace(opts.ns) };
}

/** Creates (or updates) the one event stream of a namespace. */
export async function ensureEventStream(m: Messaging): Promise<void> {
  const config = {
    name: streamName(m.ns),
    subjects: [`${m.ns}.evt.>`],
    // Nats-Msg-Id de-duplication window: the relay may publish one outbox row twice after a crash.
    duplicate_window: nanos(10 * 60 * 1000),
    // Copies of the stream across a NATS cluster (3 in infra/k8s, so that one server can go);
    // 1 for a single server (development, tests).
    num_replicas: eventsSetting("BAEDAL_STREAM_REPLICAS"),
  };
  try {
    await m.jsm.streams.info(config.name);
    await m.jsm.streams.update(config.name, config);
  } catch {
    await m.jsm.streams.add(config);
  }
}

/** Removes everything a namespace keeps on the server: the event stream and the KV bucket. */
export async function deleteNamespace(m: Messaging): Promise<void> {
  for (const stream of [streamName(m.ns), `KV_${revokedSessionsBucket(m.ns)}`]) {
    await m.jsm.streams.delete(stream).catch(() => undefined);
  }
}

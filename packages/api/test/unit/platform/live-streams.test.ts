import http from "node:http";
import type { AddressInfo } from "node:net";
import { createTRPCClient, httpSubscriptionLink, TRPCClientError } from "@trpc/client";
import { initTRPC, tracked, TRPCError } from "@trpc/server";
import { EventSource } from "eventsource";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { LiveStreams } from "../../../src/platform/sse.js";

/**
 * Our SSE writer must speak tRPC's wire format exactly: these streams are read by tRPC's own
 * `httpSubscriptionLink`, the client every screen uses.
 */
const t = initTRPC.context<{ user: string | null }>().create({
  sse: { ping: { enabled: true, intervalMs: 50 }, client: { reconnectAfterInactivityMs: 5_000 } },
});
let finished = 0;
let release = () => {};
const router = t.router({
  numbers: t.procedure
    .input(z.object({ from: z.number(), lastEventId: z.string().nullish() }).strict())
    .subscription(async function* ({ input }) {
      const start = input.lastEventId ? Number(input.lastEventId) + 1 : input.from;
      for (let i = start; i < start + 3; i++) yield tracked(String(i), { n: i });
    }),
  mine: t.procedure.subscription(async function* ({ ctx }) {
    if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in" });
    yield ctx.user;
  }),
  waiting: t.procedure.subscription(async function* ({ signal }) {
    try {
      yield "open";
      await new Promise<void>((resolve) => {
        release = resolve;
        signal?.addEventListener("abort", () => resolve());
      });
    } finally {
      finished++;
    }
  }),
  plain: t.procedure.query(() => "not a stream"),
});

let server: http.Server;
let url: string;
let errors: string[] = [];

beforeAll(async () => {
  const live = new LiveStreams({
    router,
    createContext: async (req) => ({ user: (req.headers["x-test-user"] as string | undefined) ?? null }),
    onError: ({ error }) => errors.push(error.code),
  });
  server = http.createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]!.slice("/trpc/".length));
    if (live.handles(req, path)) return void live.serve(req, res, path);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function client(headers: Record<string, string> = {}) {
  return createTRPCClient<typeof router>({
    links: [
      httpSubscriptionLink({
        url,
        EventSource: EventSource as never,
        eventSourceOptions: () =>
          ({
            fetch: (input: string | URL, init?: RequestInit) =>
              fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
          }) as never,
      }),
    ],
  });
}

function collect<T>(subscribe: (h: { onData: (v: T) => void; onError: (e: unknown) => void; onComplete: () => void }) => { unsubscribe: () => void }, until: (got: T[]) => boolean) {
  return new Promise<{ got: T[]; error?: unknown; completed: boolean }>((resolve) => {
    const got: T[] = [];
    const sub = subscribe({
      onData: (v) => {
        got.push(v);
        if (until(got)) {
          sub.unsubscribe();
          resolve({ got, completed: false });
        }
      },
      onError: (error) => {
        sub.unsubscribe();
        resolve({ got, error, completed: false });
      },
      onComplete: () => resolve({ got, completed: true }),
    });
  });
}

function rawEvents(path: string, headers: Record<string, string> = {}, count = 3): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/${path}`, { headers }, (res) => {
      let buf = "";
      const blocks: string[] = [];
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buf += chunk;
        for (let end = buf.indexOf("\n\n"); end >= 0; end = buf.indexOf("\n\n")) {
          blocks.push(buf.slice(0, end));
          buf = buf.slice(end + 2);
        }
        if (blocks.length >= count) {
          req.destroy();
          resolve(blocks);
        }
      });
      res.on("end", () => resolve(blocks));
    });
    req.on("error", reject);
  });
}

describe("live streams (our SSE writer, tRPC's wire format)", () => {
  it("streams tracked values to tRPC's client, ids included, and completes", async () => {
    const r = await collect<{ id: string; data: { n: number } }>(
      (h) => client().numbers.subscribe({ from: 5 }, h),
      () => false,
    );
    expect(r.completed).toBe(true);
    expect(r.got.map((e) => [e.id, e.data.n])).toEqual([
      ["5", 5],
      ["6", 6],
      ["7", 7],
    ]);
  });

  it("resumes from Last-Event-ID (a browser's EventSource reconnecting) merged into the input", async () => {
    const blocks = await rawEvents(`numbers?input=${encodeURIComponent(JSON.stringify({ from: 0 }))}`, {
      "last-event-id": "41",
    });
    expect(blocks[0]).toMatch(/^event: connected\ndata: \{"reconnectAfterInactivityMs":5000\}$/);
    expect(blocks[1]).toBe('id: 42\ndata: {"n":42}');
  });

  it("sends a refusal as tRPC's serialized error, shaped by the router's formatter", async () => {
    errors = [];
    const refused = await collect<string>((h) => client().mine.subscribe(undefined, h), () => false);
    expect(refused.error).toBeInstanceOf(TRPCClientError);
    expect((refused.error as TRPCClientError<typeof router>).data?.code).toBe("UNAUTHORIZED");
    expect(errors).toEqual(["UNAUTHORIZED"]);
    const allowed = await collect<string>((h) => client({ "x-test-user": "kim" }).mine.subscribe(undefined, h), (g) => g.length === 1);
    expect(allowed.got).toEqual(["kim"]);
  });

  it("answers input that is not JSON or not valid with an error event, not a crash", async () => {
    const bad = await rawEvents("numbers?input=%7Bnot-json", {}, 2);
    expect(bad[1]).toMatch(/^event: serialized-error\ndata: .*"code":"PARSE_ERROR"/);
    const invalid = await rawEvents(`numbers?input=${encodeURIComponent(JSON.stringify({ from: "x" }))}`, {}, 2);
    expect(invalid[1]).toMatch(/^event: serialized-error\ndata: .*"code":"BAD_REQUEST"/);
  });

  it("pings idle streams and ends the procedure when the client goes away", async () => {
    const before = finished;
    const blocks = await rawEvents("waiting", {}, 3);
    expect(blocks[1]).toBe('data: "open"');
    expect(blocks[2]).toBe("event: ping\ndata: ");
    for (const deadline = Date.now() + 10_000; finished === before && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(finished).toBe(before + 1);
    release();
  });

  it("leaves queries and mutations to tRPC's handler", () => {
    expect(new LiveStreams({ router, createContext: async () => ({ user: null }), onError: () => {} }).handles(
      { method: "GET" } as http.IncomingMessage,
      "plain",
    )).toBe(false);
  });
});

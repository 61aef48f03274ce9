import http from "node:http";
import { randomUUID } from "node:crypto";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestEnv, waitFor } from "../harness.js";
import { post, bearer } from "./raw.js";

/**
 * A webhook URL is an address the notification process will call: it may not point into our own
 * network, neither when registered nor when a registered name resolves somewhere private later.
 * The process resolves names through fake-dns.mjs, so the test decides what a name resolves to
 * and when it changes.
 */
const fakeDns = pathToFileURL(fileURLToPath(new URL("./fake-dns.mjs", import.meta.url))).href;
const publicAddress = "93.184.215.14";
describe("webhooks cannot reach private addresses (SSRF)", () => {
  const env = new TestEnv();
  let api: string;
  const hits: string[] = [];
  const receiver = http.createServer((req, res) => {
    hits.push(req.url ?? "");
    res.writeHead(200).end();
  });

  beforeAll(async () => {
    await env.setup();
    api = (
      await env.start("notification", {
        env: {
          WEBHOOK_ALLOW_PRIVATE: "0",
          NODE_OPTIONS: `--import=${fakeDns}`,
          FAKE_DNS: JSON.stringify({
            // Public when registered, our own machine when the delivery is sent.
            "rebind.hooks.example": [publicAddress, "127.0.0.1"],
            "metadata.hooks.example": ["::169.254.169.254"],
          }),
        },
      })
    ).url;
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  }, 120_000);
  afterAll(async () => {
    receiver.close();
    await env.teardown();
  });

  it("registering a private or local address is refused with 400 and nothing is stored", async () => {
    const customer = env.actor("CUSTOMER");
    const auth = await bearer(customer);
    for (const url of [
      "http://127.0.0.1:4222/",
      "http://169.254.169.254/latest/meta-data",
      "http://localhost:5432/",
      "http://[::1]:8080/",
      "http://[::127.0.0.1]:4222/",
      "http://[::169.254.169.254]/latest/meta-data",
      "http://[64:ff9b:1::a9fe:a9fe]/",
      "http://[2002:a9fe:a9fe::1]/",
      "http://[fec0::1]/",
      // a name that resolves to a private address (IPv4-compatible form) already now
      "http://metadata.hooks.example/latest/meta-data",
    ]) {
      const res = await post(api, "notification.setWebhook", { url }, auth);
      expect(res.status, url).toBe(400);
      expect(res.json.error.message, url).toMatch(/public address/);
    }
    const rows = await env.query(`SELECT 1 FROM notification.webhook_subscriptions WHERE recipient_id = $1`, [
      customer.userId,
    ]);
    expect(rows).toEqual([]);
    expect(
      (await post(api, "notification.setWebhook", { url: "https://hooks.example.com/baedal" }, auth)).status,
    ).toBe(200);
  });

  it("a delivery whose target turns out private is never sent and fails with the reason", async () => {
    const customer = env.actor("CUSTOMER");
    await post(
      api,
      "notification.setWebhook",
      { url: "https://hooks.example.com/baedal" },
      await bearer(customer),
    );
    // As if the registered name now resolved to our own network.
    const port = (receiver.address() as { port: number }).port;
    const id = randomUUID();
    await env.query(
      `INSERT INTO notification.webhook_deliveries (id, notification_id, recipient_id, url, payload, status, next_attempt_at)
       VALUES ($1, $2, $3, $4, '{}'::jsonb, 'PENDING', now())`,
      [id, randomUUID(), customer.userId, `http://127.0.0.1:${port}/internal`],
    );
    const row = await waitFor("the delivery to be tried", async () => {
      const [r] = await env.query<{ attempts: number; last_error: string | null }>(
        `SELECT attempts, last_error FROM notification.webhook_deliveries WHERE id = $1`,
        [id],
      );
      return r && r.attempts > 0 ? r : null;
    });
    expect(row.last_error).toMatch(/webhook target refused/);
    expect(hits).toEqual([]);
  });

  it("a name that resolves public at registration and private at send is refused at connect time, once and for good", async () => {
    const customer = env.actor("CUSTOMER");
    const port = (receiver.address() as { port: number }).port;
    const url = `http://rebind.hooks.example:${port}/hook`;
    // Registration resolves the name: public then, so it is accepted.
    const registered = await post(api, "notification.setWebhook", { url }, await bearer(customer));
    expect(registered.status).toBe(200);
    const id = randomUUID();
    await env.query(
      `INSERT INTO notification.webhook_deliveries (id, notification_id, recipient_id, url, payload, status, next_attempt_at)
       VALUES ($1, $2, $3, $4, '{"hello":1}'::jsonb, 'PENDING', now())`,
      [id, randomUUID(), customer.userId, url],
    );
    // By now the name answers 127.0.0.1, where the receiver listens.
    const row = await waitFor("the delivery to be refused", async () => {
      const [r] = await env.query<{ status: string; attempts: number; last_error: string | null }>(
        `SELECT status, attempts, last_error FROM notification.webhook_deliveries WHERE id = $1`,
        [id],
      );
      return r && r.attempts > 0 ? r : null;
    });
    expect(hits).toEqual([]);
    expect(row).toEqual({
      status: "FAILED", // final: not retried
      attempts: 1,
      last_error: "webhook target refused: rebind.hooks.example resolves to 127.0.0.1",
    });
  });
});

import { randomBytes, randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sessionDataCookie, sessionFromHeaders, type Actor } from "../../../src/platform/auth.js";
import { issueToken } from "../../../testing/issue-token.js";

/** Random per run: no fixed secret in the repository, not even a test's. */
const SECRET = randomBytes(24).toString("hex");
const actor: Actor = { userId: randomUUID(), role: "CUSTOMER", name: "김민수", shopId: null };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * A session that verified once is remembered by its token (verifying costs ~0.5 ms of CPU per
 * request). Remembering must not widen what is accepted: not past the token's expiry, not for a
 * token that differs in any byte, not under another secret.
 */
describe("verified sessions are remembered only as long as they are valid", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a token accepted once is refused once it has expired", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const token = await issueToken(SECRET, actor, 60);
    expect((await sessionFromHeaders(SECRET, bearer(token)))?.actor).toEqual(actor);
    vi.setSystemTime(Date.now() + 61_000);
    expect(await sessionFromHeaders(SECRET, bearer(token))).toBeNull();
  });

  it("a token differing from an accepted one in its payload is refused", async () => {
    const good = await issueToken(SECRET, actor);
    expect(await sessionFromHeaders(SECRET, bearer(good))).not.toBeNull();
    const [h, , s] = good.split(".");
    const forged = Buffer.from(JSON.stringify({ user: { ...actor, role: "ADMIN" }, exp: 9_999_999_999 })).toString("base64url");
    expect(await sessionFromHeaders(SECRET, bearer(`${h}.${forged}.${s}`))).toBeNull();
  });

  it("an accepted token is refused under another secret", async () => {
    const token = await issueToken(SECRET, actor);
    expect(await sessionFromHeaders(SECRET, bearer(token))).not.toBeNull();
    expect(await sessionFromHeaders(randomBytes(24).toString("hex"), bearer(token))).toBeNull();
  });

  it("the same session from the cookie, among other cookies, as from the bearer header", async () => {
    const token = await issueToken(SECRET, actor);
    const fromBearer = await sessionFromHeaders(SECRET, bearer(token));
    const fromCookie = await sessionFromHeaders(SECRET, { cookie: `a=1; ${sessionDataCookie()}=${token}; b=2` });
    expect(fromCookie).toEqual(fromBearer);
    expect(await sessionFromHeaders(SECRET, { cookie: `a=1; ${sessionDataCookie()}x=${token}` })).toBeNull();
  });
});

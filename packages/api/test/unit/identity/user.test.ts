import { randomBytes } from "node:crypto";
import { hashPassword, verifyPassword } from "better-auth/crypto";
import { describe, expect, it } from "vitest";
import { asRole, customerSignUp, normalizeEmail } from "../../../src/identity/domain/user.js";
import { actorFromHeaders, sessionDataCookie, sessionFromHeaders, type Actor } from "../../../src/platform/auth.js";
import { issueToken } from "../../../testing/issue-token.js";

const ID = "11111111-1111-4111-8111-111111111111";
/** Random per run: no fixed secret in the repository, not even a test's. */
const SECRET = randomBytes(24).toString("hex");

describe("identity domain", () => {
  it("normalizes emails", () => {
    expect(normalizeEmail("  Kim@Baedal.DEV ")).toBe("kim@baedal.dev");
  });

  it("a sign-up is a customer's: trimmed name and phone, lowercased email, no role or shop", () => {
    const input = customerSignUp({
      email: "New@X.dev",
      password: "pw123456",
      name: " 김고객 ",
      phone: " 010-1234-5678 ",
    });
    expect(input).toEqual({
      email: "new@x.dev",
      password: "pw123456",
      name: "김고객",
      phone: "010-1234-5678",
    });
    expect(() =>
      customerSignUp({ email: "a@b.dev", password: "pw123456", name: "  ", phone: "0101234" }),
    ).toThrow(/Name is required/);
  });

  it("rejects unknown roles", () => {
    expect(asRole("RIDER")).toBe("RIDER");
    expect(() => asRole("ROOT")).toThrow();
  });
});

describe("sessions (Better Auth's signed session cookie)", () => {
  const actor: Actor = { userId: ID, role: "SHOP_OWNER", name: "이회장", shopId: ID };

  it("the actor round-trips through the cookie and through a bearer token", async () => {
    const token = await issueToken(SECRET, actor);
    expect(await actorFromHeaders(SECRET, { cookie: `other=1; ${sessionDataCookie()}=${token}` })).toEqual(
      actor,
    );
    expect(await actorFromHeaders(SECRET, { authorization: `Bearer ${token}` })).toEqual(actor);
  });

  it("a token signed with another secret, a tampered one or an expired one is nobody", async () => {
    const token = await issueToken(randomBytes(24).toString("hex"), actor);
    expect(await actorFromHeaders(SECRET, { authorization: `Bearer ${token}` })).toBeNull();
    const good = await issueToken(SECRET, actor);
    const [h, , s] = good.split(".");
    const forged = Buffer.from(JSON.stringify({ user: { ...actor, id: ID, role: "ADMIN" } })).toString(
      "base64url",
    );
    expect(await actorFromHeaders(SECRET, { authorization: `Bearer ${h}.${forged}.${s}` })).toBeNull();
    const expired = await issueToken(SECRET, actor, -60);
    expect(await actorFromHeaders(SECRET, { authorization: `Bearer ${expired}` })).toBeNull();
    expect(await actorFromHeaders(SECRET, { cookie: "baedal.session_data=garbage" })).toBeNull();
    expect(await actorFromHeaders(SECRET, {})).toBeNull();
  });

  it("a signed-out session is nobody, though its signature and expiry still verify", async () => {
    const headers = { authorization: `Bearer ${await issueToken(SECRET, actor)}` };
    const session = await sessionFromHeaders(SECRET, headers);
    expect(session).toMatchObject({ actor, sessionId: expect.stringMatching(/^service-/) });
    // Each token is a session of its own: signing out with one leaves the others working.
    const other = await sessionFromHeaders(SECRET, { authorization: `Bearer ${await issueToken(SECRET, actor)}` });
    expect(other!.sessionId).not.toBe(session!.sessionId);
    expect(session!.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(await actorFromHeaders(SECRET, headers, (id) => id === session!.sessionId)).toBeNull();
    expect(await actorFromHeaders(SECRET, headers, (id) => id === "another-session")).toEqual(actor);
  });

  it("passwords are hashed by Better Auth (scrypt), never stored as given", async () => {
    const hash = await hashPassword("baedal1234");
    expect(hash).not.toContain("baedal1234");
    expect(await verifyPassword({ hash, password: "baedal1234" })).toBe(true);
    expect(await verifyPassword({ hash, password: "wrong" })).toBe(false);
  });
});

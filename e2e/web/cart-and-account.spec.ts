/** The cart's rules, signing in to check out, and the language switch. */
import { webTest as test, expect } from "../support/fixtures.js";
import { demo, demoPassword } from "../support/api.js";
import { screenshotAtSizes } from "../support/screenshots.js";
import { addDish, openShop, won } from "./customer-ui.js";

test("one shop per cart: switching shops asks first; the minimum order is enforced", async ({ page }) => {
  await openShop(page, "바다회센터");
  await addDish(page, "물회");
  await expect(page.getByTestId("cart-link")).toHaveAccessibleName("장바구니, 1개 담김");

  await openShop(page, "바삭치킨 연남점");
  await addDish(page, "후라이드치킨");
  const ask = page.getByRole("dialog", { name: "장바구니에는 한 가게의 메뉴만 담을 수 있어요" });
  await expect(ask).toContainText("바다회센터");
  await ask.getByRole("button", { name: "그대로 두기" }).click();
  await expect(page.getByTestId("cart-link")).toHaveAccessibleName("장바구니, 1개 담김");

  // Back to the fish shop's cart: 물회 alone is below 바다회센터's 20,000원 minimum.
  await page.goto("/login?next=/checkout");
  await page.getByLabel("이메일").fill(demo.customer);
  await page.getByLabel("비밀번호").fill(demoPassword);
  await page.getByRole("button", { name: "로그인" }).last().click();
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(page.getByText(`바다회센터의 최소주문금액은 ${won(20_000)}이에요. ${won(5_000)} 더 담아 주세요.`)).toBeVisible();
  await expect(page.getByTestId("place-order")).toBeDisabled();

  // More of it, and the order can be placed.
  await page.getByRole("group", { name: "물회 수량" }).getByRole("button", { name: "수량 늘리기" }).click();
  await expect(page.getByTestId("place-order")).toBeEnabled();
  await expect(page.getByTestId("place-order")).toHaveText(`${won(33_000)} 결제하기`);

  // Now switch shops for real.
  await openShop(page, "바삭치킨 연남점");
  await addDish(page, "후라이드치킨");
  await page.getByRole("dialog").getByRole("button", { name: "비우고 담기" }).click();
  await page.goto("/checkout");
  await expect(page.getByTestId("cart-line")).toHaveCount(1);
  await expect(page.getByTestId("cart-line")).toContainText("후라이드치킨");
});

test("checkout needs a signed-in customer; bad credentials are explained", async ({ page }) => {
  await page.goto("/checkout");
  await expect(page).toHaveURL(/\/login\?next=%2Fcheckout$/);
  await page.getByLabel("이메일").fill(demo.customer);
  await page.getByLabel("비밀번호").fill("wrong-password");
  await page.getByRole("button", { name: "로그인" }).last().click();
  await expect(page.getByText("이메일 또는 비밀번호가 맞지 않아요.")).toBeVisible();
  await page.getByLabel("이메일").fill("not-an-email");
  await page.getByRole("button", { name: "로그인" }).last().click();
  await expect(page.getByText("이메일 주소를 정확히 입력해 주세요.")).toBeVisible();
});

test("Korean by default, English at a click, and the choice sticks", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("오늘은 뭐 먹을까요?");
  await expect(page.locator("html")).toHaveAttribute("lang", "ko");
  await page.getByRole("button", { name: "언어: English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("What are you craving today?");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("button", { name: "Sashimi & sushi" })).toBeVisible();
  await expect(page.getByTestId("shop-card").first()).toContainText("Min. order");
  await screenshotAtSizes(page, "home-english", ["phone"]);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("What are you craving today?");
  await page.getByRole("button", { name: "Language: 한국어" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("오늘은 뭐 먹을까요?");
});

test("keyboard only: search, open a shop and add a dish", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab"); // skip link
  await expect(page.getByRole("link", { name: "본문으로 건너뛰기" })).toBeFocused();
  await page.getByLabel("가게 또는 메뉴 검색").focus();
  await page.keyboard.type("치킨");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("shop-card")).toHaveCount(1);
  await page.getByTestId("shop-card").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "바삭치킨 연남점" })).toBeVisible();
  await page.getByRole("button", { name: "양념치킨 담기" }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "양념치킨" });
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
});

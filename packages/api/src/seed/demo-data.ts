import { createHash } from "node:crypto";
import type { Role } from "../platform/auth.js";
import { commandRuntime } from "../platform/command-runtime.js";
import { catalogContext } from "../catalog/index.js";
import { CatalogService, type Shop, type ShopCategory } from "../catalog/service.js";
import { identityContext } from "../identity/index.js";
import { IdentityService } from "../identity/service.js";
import { reviewContext } from "../review/index.js";
import { ReviewService } from "../review/service.js";

/** A fixed UUID (v5 layout) derived from a name, so every run of the seed writes the same rows. */
export function demoId(name: string): string {
  const h = createHash("sha1").update(`baedal-demo:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export const DEMO_PASSWORD = "baedal1234";

interface DemoItem {
  name: string;
  description: string;
  priceKrw: number;
  category: string;
}
interface DemoShop {
  key: string;
  name: string;
  category: ShopCategory;
  description: string;
  address: string;
  isOpen: boolean;
  minOrderKrw: number;
  deliveryFeeKrw: number;
  estDeliveryMinutes: number;
  owner: { email: string; name: string; phone: string };
  items: DemoItem[];
}

export const demoShops: DemoShop[] = [
  {
    key: "bada-hoe",
    name: "바다회센터",
    category: "FISH",
    description: "매일 새벽 노량진에서 들여온 활어로 뜨는 회 전문점",
    address: "서울 마포구 월드컵북로 12",
    isOpen: true,
    minOrderKrw: 20_000,
    deliveryFeeKrw: 3_000,
    estDeliveryMinutes: 40,
    owner: { email: "owner1@baedal.dev", name: "이회장", phone: "010-2000-0001" },
    items: [
      {
        name: "모둠회 (대)",
        description: "광어·우럭·연어·참치 등 제철 활어회 3~4인분",
        priceKrw: 59_000,
        category: "모둠회",
      },
      {
        name: "모둠회 (소)",
        description: "광어·우럭·연어 활어회 1~2인분",
        priceKrw: 39_000,
        category: "모둠회",
      },
      {
        name: "광어회",
        description: "쫄깃한 자연산급 광어 한 접시, 초장·쌈채소 포함",
        priceKrw: 32_000,
        category: "단품회",
      },
      {
        name: "연어회",
        description: "노르웨이산 생연어 두툼썰기, 양파·케이퍼 곁들임",
        priceKrw: 28_000,
        category: "단품회",
      },
      { name: "참치회", description: "참다랑어 붉은살과 뱃살 반반", priceKrw: 45_000, category: "단품회" },
      {
        name: "물회",
        description: "새콤달콤 살얼음 육수에 광어·오징어, 소면 포함",
        priceKrw: 15_000,
        category: "식사",
      },
      {
        name: "매운탕",
        description: "회 뜨고 남은 서더리로 끓인 얼큰한 매운탕 (2인)",
        priceKrw: 12_000,
        category: "식사",
      },
      {
        name: "모둠초밥 (12pc)",
        description: "광어·연어·참치·새우 등 셰프 추천 초밥 12피스",
        priceKrw: 22_000,
        category: "초밥",
      },
    ],
  },
  {
    key: "basak-chicken",
    name: "바삭치킨 연남점",
    category: "CHICKEN",
    description: "국내산 신선육을 매장에서 직접 염지해 튀기는 치킨집",
    address: "서울 마포구 동교로 210",
    isOpen: true,
    minOrderKrw: 15_000,
    deliveryFeeKrw: 2_500,
    estDeliveryMinutes: 35,
    owner: { email: "owner2@baedal.dev", name: "정치킨", phone: "010-2000-0002" },
    items: [
      {
        name: "후라이드치킨",
        description: "겉바속촉 오리지널 후라이드 한 마리",
        priceKrw: 19_000,
        category: "치킨",
      },
      {
        name: "양념치킨",
        description: "달콤매콤 수제 양념을 듬뿍 버무린 한 마리",
        priceKrw: 21_000,
        category: "치킨",
      },
      { name: "반반치킨", description: "후라이드 반 + 양념 반", priceKrw: 21_000, category: "치킨" },
      {
        name: "간장마늘치킨",
        description: "통마늘 간장소스로 짭조름하게",
        priceKrw: 22_000,
        category: "치킨",
      },
      {
        name: "순살후라이드",
        description: "뼈 없이 먹기 편한 다리살 순살",
        priceKrw: 21_000,
        category: "치킨",
      },
      {
        name: "치즈볼 (5개)",
        description: "쭉 늘어나는 모짜렐라 치즈볼",
        priceKrw: 5_000,
        category: "사이드",
      },
      { name: "콜라 1.25L", description: "시원한 코카콜라", priceKrw: 2_500, category: "음료" },
    ],
  },
  {
    key: "napoli-pizza",
    name: "화덕피자 나폴리",
    category: "PIZZA",
    description: "450도 참나무 화덕에서 90초 만에 굽는 나폴리 피자",
    address: "서울 용산구 이태원로 180",
    isOpen: true,
    minOrderKrw: 18_000,
    deliveryFeeKrw: 3_000,
    estDeliveryMinutes: 45,
    owner: { email: "owner3@baedal.dev", name: "최피자", phone: "010-2000-0003" },
    items: [
      {
        name: "마르게리타",
        description: "산마르자노 토마토, 생 모짜렐라, 바질",
        priceKrw: 18_900,
        category: "피자",
      },
      {
        name: "페퍼로니",
        description: "매콤한 페퍼로니를 듬뿍 올린 클래식",
        priceKrw: 19_900,
        category: "피자",
      },
      { name: "고르곤졸라", description: "고르곤졸라 치즈와 꿀 디핑", priceKrw: 17_900, category: "피자" },
      {
        name: "포테이토 베이컨",
        description: "구운 감자, 베이컨, 마요 소스",
        priceKrw: 21_900,
        category: "피자",
      },
      {
        name: "콤비네이션",
        description: "페퍼로니·소시지·피망·올리브·양송이",
        priceKrw: 22_900,
        category: "피자",
      },
      {
        name: "트러플 버섯 피자",
        description: "트러플 오일과 모둠 버섯, 파르미지아노",
        priceKrw: 25_900,
        category: "피자",
      },
      {
        name: "갈릭 디핑소스",
        description: "피자 엣지에 찍어 먹는 갈릭 소스",
        priceKrw: 500,
        category: "사이드",
      },
    ],
  },
  {
    key: "halmeoni-hansik",
    name: "할머니손맛 한식당",
    category: "KOREAN",
    description: "30년 손맛 그대로, 매일 끓이는 찌개와 집밥 반찬",
    address: "서울 종로구 종로 33",
    isOpen: true,
    minOrderKrw: 12_000,
    deliveryFeeKrw: 2_000,
    estDeliveryMinutes: 30,
    owner: { email: "owner4@baedal.dev", name: "한사장", phone: "010-2000-0004" },
    items: [
      {
        name: "김치찌개",
        description: "묵은지와 돼지 앞다리살로 끓인 김치찌개, 공기밥 포함",
        priceKrw: 9_000,
        category: "찌개",
      },
      {
        name: "된장찌개",
        description: "차돌박이를 넣은 구수한 된장찌개, 공기밥 포함",
        priceKrw: 9_000,
        category: "찌개",
      },
      {
        name: "제육볶음",
        description: "불맛 가득 매콤 제육볶음, 공기밥 포함",
        priceKrw: 11_000,
        category: "식사",
      },
      { name: "불고기 정식", description: "간장 소불고기와 밑반찬 4종", priceKrw: 13_000, category: "식사" },
      { name: "비빔밥", description: "나물 6종과 고추장, 계란 프라이", priceKrw: 10_000, category: "식사" },
      { name: "갈비탕", description: "푹 고은 소갈비 맑은 탕", priceKrw: 14_000, category: "식사" },
      { name: "계란말이", description: "대파·당근 넣은 도톰한 계란말이", priceKrw: 8_000, category: "반찬" },
    ],
  },
  {
    key: "brooklyn-burger",
    name: "수제버거 브루클린",
    category: "BURGER",
    description: "매일 갈아 만드는 100% 소고기 패티 수제버거 (오늘은 휴무)",
    address: "서울 강남구 테헤란로 152",
    isOpen: false,
    minOrderKrw: 15_000,
    deliveryFeeKrw: 3_500,
    estDeliveryMinutes: 35,
    owner: { email: "owner5@baedal.dev", name: "강버거", phone: "010-2000-0005" },
    items: [
      {
        name: "클래식 치즈버거",
        description: "소고기 패티, 체다치즈, 양상추, 토마토",
        priceKrw: 11_900,
        category: "버거",
      },
      {
        name: "베이컨 더블버거",
        description: "패티 두 장과 크리스피 베이컨",
        priceKrw: 15_900,
        category: "버거",
      },
      {
        name: "아보카도 버거",
        description: "생 아보카도와 할라피뇨 마요",
        priceKrw: 14_500,
        category: "버거",
      },
      {
        name: "머쉬룸 스위스 버거",
        description: "볶은 양송이와 스위스 치즈",
        priceKrw: 13_900,
        category: "버거",
      },
      {
        name: "트러플 감자튀김",
        description: "트러플 오일과 파르미지아노",
        priceKrw: 6_500,
        category: "사이드",
      },
      {
        name: "바닐라 쉐이크",
        description: "진한 바닐라 아이스크림 쉐이크",
        priceKrw: 5_900,
        category: "음료",
      },
    ],
  },
];

export interface DemoAccount {
  email: string;
  role: Role;
  name: string;
  phone: string;
  shopKey?: string;
}

/** Every demo login (password `baedal1234`), for the start script to print. */
export const demoAccounts: DemoAccount[] = [
  { email: "customer@baedal.dev", role: "CUSTOMER", name: "김고객", phone: "010-1234-5678" },
  ...demoShops.map((s) => ({ ...s.owner, role: "SHOP_OWNER" as const, shopKey: s.key })),
  { email: "rider1@baedal.dev", role: "RIDER", name: "박라이더", phone: "010-3000-0001" },
  { email: "rider2@baedal.dev", role: "RIDER", name: "최라이더", phone: "010-3000-0002" },
  { email: "admin@baedal.dev", role: "ADMIN", name: "관리자", phone: "010-9000-0000" },
];

const userId = (email: string) => demoId(`user:${email}`);
const shopId = (key: string) => demoId(`shop:${key}`);
const itemId = (shopKey: string, name: string) => demoId(`item:${shopKey}:${name}`);

function shopOf(s: DemoShop): Shop {
  const { key, owner, items: _items, ...rest } = s;
  return { ...rest, id: shopId(key), ownerId: userId(owner.email) };
}

const demoItems = demoShops.flatMap((s) =>
  s.items.map((i) => ({ id: itemId(s.key, i.name), shopId: shopId(s.key), draft: { ...i, imageUrl: null } })),
);

export interface SeedResult {
  users: number;
  shops: number;
  items: number;
  reviewCases: number;
}

/**
 * Writes the demo data through the import commands of identity, catalog and review, each service
 * composed here as its process composes it (the seed is a composition root, like main.ts) but
 * without messaging: nothing is served, consumed or published. Idempotent: fixed ids, and each
 * import inserts only what is absent; catalog's events for the rows it actually inserted wait in
 * catalog's outbox for catalog's relay.
 */
export async function seedDemo(databaseUrl: string, ns: string): Promise<SeedResult> {
  const identityRt = commandRuntime(identityContext, { databaseUrl, ns });
  const catalogRt = commandRuntime(catalogContext, { databaseUrl, ns });
  const reviewRt = commandRuntime(reviewContext, { databaseUrl, ns });
  try {
    // Demo accounts are Better Auth accounts like any other: a user plus a "credential" account.
    const users = await new IdentityService(identityRt).importAccounts(
      demoAccounts.map((a) => ({
        id: userId(a.email),
        credentialId: demoId(`account:${a.email}`),
        email: a.email,
        name: a.name,
        role: a.role,
        shopId: a.shopKey ? shopId(a.shopKey) : null,
        phone: a.phone,
        password: DEMO_PASSWORD,
      })),
    );
    // Listed as if submitted and approved (revision 1): catalog emits ShopUpdated and MenuItemListed.
    const inserted = await new CatalogService(catalogRt).importListed(demoShops.map(shopOf), demoItems);
    // Review keeps the approved revision 1 of every item, decided by the demo admin.
    const reviewCases = await new ReviewService(reviewRt).importApproved(
      demoItems.map((i) => ({
        id: demoId(`review:${i.id}:1`),
        submission: { menuItemId: i.id, shopId: i.shopId, revision: 1, ...i.draft },
      })),
      userId("admin@baedal.dev"),
    );
    return { users, shops: inserted.shops, items: inserted.items, reviewCases };
  } finally {
    await Promise.all([identityRt.close(), catalogRt.close(), reviewRt.close()]);
  }
}

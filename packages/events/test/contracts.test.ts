/**
 * Contract tests for the event schemas, against recorded events.
 *
 * `fixtures/<source>/<Type>.v<version>.json` are events as they were once published: the recorded
 * past. They are static JSON, written by hand and committed; never regenerate them from the current
 * schemas, or this test stops protecting anyone. When a contract changes:
 *   - a compatible change (a new optional field) needs nothing more;
 *   - anything else bumps the definition's `version`, adds an `upcast[old]` from the old shape, and
 *     adds a fixture at the new version, keeping the old fixture as it is.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createEvent, defineEvent, type AnyEventDefinition, type RawEnvelope } from "../src/envelope.js";
import { EventContractError, eventRegistry, parseEvent } from "../src/registry.js";

const fixturesDir = fileURLToPath(new URL("../fixtures", import.meta.url));

interface Fixture {
  /** Path relative to fixtures/, e.g. `order/OrderPlaced.v1.json`. */
  file: string;
  dir: string;
  fileType: string;
  fileVersion: number;
  raw: RawEnvelope;
}

function listJson(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listJson(join(dir, e.name)) : e.name.endsWith(".json") ? [join(dir, e.name)] : [],
  );
}

const fixtures: Fixture[] = listJson(fixturesDir)
  .sort()
  .map((path) => {
    const file = relative(fixturesDir, path).split(sep).join("/");
    const match = /^([^/]+)\/([A-Za-z0-9]+)\.v(\d+)\.json$/.exec(file);
    if (!match) throw new Error(`fixture ${file} is not named <source>/<Type>.v<version>.json`);
    return {
      file,
      dir: match[1]!,
      fileType: match[2]!,
      fileVersion: Number(match[3]),
      raw: JSON.parse(readFileSync(path, "utf8")) as RawEnvelope,
    };
  });

function definitionOf(f: Fixture): AnyEventDefinition {
  const def = eventRegistry.get(f.raw.type);
  if (!def) throw new Error(`${f.file}: type ${f.raw.type} is not in eventRegistry`);
  return def;
}

function expectContractError(raw: unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    parseEvent(raw);
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(EventContractError);
  expect((thrown as Error).message).toMatch(message);
}

/** A fixture as a fresh mutable object, so a test cannot disturb the others. */
const copyOf = (f: Fixture): Record<string, unknown> => structuredClone(f.raw) as Record<string, unknown>;

describe("event contract fixtures", () => {
  it("has fixtures to check", () => {
    expect(eventRegistry.size).toBeGreaterThan(0);
    expect(fixtures.length).toBeGreaterThan(0);
  });

  it.each([...eventRegistry.values()].map((def) => ({ type: def.type, def })))(
    "$type has a recorded fixture at its current version",
    ({ def }) => {
      const file = `${def.source}/${def.type}.v${def.version}.json`;
      const found = fixtures.find((f) => f.raw.type === def.type && f.raw.version === def.version);
      expect(found?.file, `add fixtures/${file}: a recorded ${def.type} v${def.version}`).toBe(file);
    },
  );

  describe.each(fixtures)("$file", (f) => {
    it("is filed under its source, type and version", () => {
      const def = definitionOf(f);
      expect(f.raw.type).toBe(f.fileType);
      expect(f.raw.version).toBe(f.fileVersion);
      expect(f.raw.source).toBe(f.dir);
      expect(f.raw.source).toBe(def.source);
      expect(f.raw.version, "a fixture cannot be newer than its definition").toBeLessThanOrEqual(def.version);
    });

    it("still parses, and its data validates against the current schema", () => {
      const def = definitionOf(f);
      const event = parseEvent(copyOf(f));
      expect(event.type).toBe(f.raw.type);
      expect(event.version).toBe(def.version);
      expect(event.id).toBe(f.raw.id);
      expect(def.schema.safeParse(event.data).success).toBe(true);
      if (f.raw.version === def.version) {
        // At the current version nothing may be silently dropped or rewritten: a field removed or
        // renamed (or a type coerced) without a version bump breaks consumers of the recorded shape.
        expect(event.data).toMatchObject(f.raw.data as object);
      }
    });

    it("carries the orderId and key that the definition's keyOf derives from its data", () => {
      const def = definitionOf(f);
      const event = parseEvent(copyOf(f));
      expect(def.keyOf(event.data)).toEqual({ orderId: f.raw.orderId, key: f.raw.key });
    });

    it("round-trips its data through createEvent and parseEvent", () => {
      const def = definitionOf(f);
      const data = parseEvent(copyOf(f)).data;
      const created = createEvent(def, data, f.raw.id);
      expect(created).toMatchObject({ type: def.type, version: def.version, source: def.source });
      expect({ orderId: created.orderId, key: created.key }).toEqual({
        orderId: f.raw.orderId,
        key: f.raw.key,
      });
      // Through JSON, as it travels on the wire.
      const received = parseEvent(JSON.parse(JSON.stringify(created)));
      expect(received).toEqual(created);
      expect(received.data).toEqual(data);
    });
  });
});

describe("parseEvent refuses what it cannot read", () => {
  const sample = fixtures.find((f) => f.raw.type === "OrderPlaced") ?? fixtures[0]!;

  it("refuses a version newer than the known one", () => {
    const def = definitionOf(sample);
    expectContractError({ ...copyOf(sample), version: def.version + 1 }, /newer than the known/);
  });

  it("refuses an unknown event type", () => {
    expectContractError({ ...copyOf(sample), type: "OrderTeleported" }, /unknown event type OrderTeleported/);
  });

  it.each([
    ["not an object", "OrderPlaced"],
    ["null", null],
    ["no id", { id: undefined }],
    ["an id that is not a uuid", { id: "order-1" }],
    ["an empty type", { type: "" }],
    ["version 0", { version: 0 }],
    ["a fractional version", { version: 1.5 }],
    ["a version as a string", { version: "1" }],
    ["no source", { source: undefined }],
    ["occurredAt that is not ISO", { occurredAt: "2025-11-14 18:02:11" }],
    ["orderId that is not a uuid", { orderId: "A-1024" }],
    ["an empty key", { key: "" }],
    ["causationId that is not a uuid", { causationId: 42 }],
  ] as const)("refuses a malformed envelope: %s", (_name, change) => {
    const raw =
      change !== null && typeof change === "object" ? { ...copyOf(sample), ...change } : (change as unknown);
    expectContractError(raw, /bad envelope/);
  });

  it("refuses data that does not match the schema", () => {
    const raw = copyOf(sample);
    raw.data = { ...(raw.data as object), totalKrw: 44_500.5 };
    expectContractError(raw, /data invalid/);
  });
});

describe("versioning: upcasting an older event to the current shape", () => {
  // A test-local contract (not one of Baedal's): v1 had a single price in won;
  // v2 split it into the item price and a packaging fee, and named the currency in the field.
  const v1Data = { menuItemId: "a1c6334b-1bc6-4720-ba94-ba73c548a909", price: 19000 };
  const v2Schema = z.object({
    menuItemId: z.string().uuid(),
    priceKrw: z.number().int().nonnegative(),
    packagingFeeKrw: z.number().int().nonnegative(),
  });
  const TestMenuItemPriced = defineEvent({
    type: "TestOnlyMenuItemPriced",
    source: "catalog",
    version: 2,
    schema: v2Schema,
    upcast: {
      1: (data) => {
        const d = data as { menuItemId: string; price: number };
        return { menuItemId: d.menuItemId, priceKrw: d.price, packagingFeeKrw: 0 };
      },
    },
    keyOf: (d) => ({ orderId: null, key: d.menuItemId }),
  });
  const recordedV1 = {
    id: "9d5b8c1e-3f0a-4c2e-9b7d-2a6e4f1c8b30",
    type: "TestOnlyMenuItemPriced",
    version: 1,
    source: "catalog",
    occurredAt: "2025-06-02T03:15:00.000Z",
    orderId: null,
    key: v1Data.menuItemId,
    causationId: null,
    data: v1Data,
  };

  /** parseEvent reads only the registry: register the test-local definition just for `fn`. */
  function withRegistered<T>(def: AnyEventDefinition, fn: () => T): T {
    const registry = eventRegistry as Map<string, AnyEventDefinition>;
    expect(registry.has(def.type)).toBe(false);
    registry.set(def.type, def);
    try {
      return fn();
    } finally {
      registry.delete(def.type);
    }
  }

  it("the v1 payload does not satisfy the v2 schema by itself", () => {
    expect(v2Schema.safeParse(v1Data).success).toBe(false);
  });

  it("parses a recorded v1 event into the v2 shape", () => {
    const event = withRegistered(TestMenuItemPriced as unknown as AnyEventDefinition, () =>
      parseEvent(structuredClone(recordedV1)),
    );
    expect(event).toEqual({
      ...recordedV1,
      version: 2,
      data: { menuItemId: v1Data.menuItemId, priceKrw: 19000, packagingFeeKrw: 0 },
    });
  });

  it("refuses a v1 event when the v2 definition has no upcaster for it", () => {
    const withoutUpcaster = { ...TestMenuItemPriced, upcast: {} } as unknown as AnyEventDefinition;
    withRegistered(withoutUpcaster, () =>
      expectContractError(structuredClone(recordedV1), /no upcaster for TestOnlyMenuItemPriced v1/),
    );
  });

  it("refuses a v3 event, which the v2 definition cannot know", () => {
    withRegistered(TestMenuItemPriced as unknown as AnyEventDefinition, () =>
      expectContractError({ ...structuredClone(recordedV1), version: 3 }, /v3 is newer than the known v2/),
    );
  });

  it("leaves the registry as it was", () => {
    expect(eventRegistry.has("TestOnlyMenuItemPriced")).toBe(false);
  });
});

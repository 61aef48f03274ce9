import { describe, expect, it } from "vitest";
import { cursorPattern, formatCursor, parseCursor } from "../../../src/platform/live-feed.js";

describe("live feed cursors", () => {
  it("round-trips one seq per feed", () => {
    expect(formatCursor([12])).toBe("12");
    expect(formatCursor([12, 0, 5])).toBe("12-0-5");
    expect(parseCursor("12-0-5", 3)).toEqual([12, 0, 5]);
  });

  it("refuses a cursor that does not fit the feeds followed (the stream starts from a snapshot)", () => {
    expect(parseCursor("12", 2)).toBeNull();
    expect(parseCursor("12-3", 1)).toBeNull();
    expect(parseCursor("", 1)).toBeNull();
    expect(parseCursor(null, 1)).toBeNull();
    expect(parseCursor("abc", 1)).toBeNull();
  });

  it("is what the subscriptions accept as lastEventId", () => {
    expect(cursorPattern.test("0")).toBe(true);
    expect(cursorPattern.test("3-4")).toBe(true);
    expect(cursorPattern.test("3-")).toBe(false);
    expect(cursorPattern.test("-3")).toBe(false);
    expect(cursorPattern.test("1;DROP")).toBe(false);
  });
});

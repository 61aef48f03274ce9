import { describe, expect, it } from "vitest";
import { z } from "zod";
import { eventRegistry } from "../src/registry.js";
import { paymentRpc } from "../src/rpc-contracts/payment.js";
import { stringFields, text } from "../src/text.js";

const messageOf = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? null : r.error.issues.map((i) => i.message).join("; ");
};

describe("text: the one rule for free text", () => {
  const reason = text({ label: "Reason", min: 1, max: 10 });
  const note = text({ label: "Note", max: 10, multiline: true });

  it("refuses NUL, other C0 controls, DEL and C1 controls, naming the field", () => {
    for (const c of [
      "\u0000",
      "\u0001",
      "\u0007",
      "\u001b",
      "\u001f",
      "\u007f",
      "\u0080",
      "\u0085",
      "\u009f",
      "\t",
      "\n",
      "\r",
    ]) {
      expect(messageOf(reason, `a${c}b`), JSON.stringify(c)).toBe(
        "Reason must not contain control characters",
      );
    }
  });

  it("lets multi-line text keep line breaks and tabs (CRLF and CR become LF), nothing else", () => {
    expect(note.parse("a\nb\tc")).toBe("a\nb\tc");
    expect(note.parse("a\r\nb\rc")).toBe("a\nb\nc");
    expect(messageOf(note, "a\u0000b")).toBe("Note must not contain control characters");
    expect(messageOf(note, "a\u000bb")).toBe("Note must not contain control characters");
  });

  it("refuses lone surrogates (invalid UTF-16) but takes characters outside the BMP", () => {
    for (const s of ["a\ud83db", "a\ude00b", "\ud83d", "b\ude00\ud83d"]) {
      expect(messageOf(reason, s), JSON.stringify(s)).toBe(
        "Reason contains invalid Unicode (a lone surrogate)",
      );
    }
    expect(reason.parse("😀🍣")).toBe("😀🍣");
  });

  it("counts characters (code points), not UTF-16 units, after trimming", () => {
    expect(reason.parse("😀".repeat(10))).toBe("😀".repeat(10));
    expect(reason.parse(`  ${"가".repeat(10)}  `)).toBe("가".repeat(10));
    expect(messageOf(reason, "😀".repeat(11))).toBe("Reason must be at most 10 characters");
    expect(messageOf(text({ label: "Key", min: 3, max: 9 }), "ab")).toBe("Key must be at least 3 characters");
  });

  it("refuses what is blank once trimmed where text is required", () => {
    for (const s of ["", " ", "\u3000", " \u00a0 ", "\t\n"]) {
      expect(messageOf(reason, s), JSON.stringify(s)).toBe("Reason must not be empty");
    }
    expect(
      messageOf(text({ label: "Address", min: 5, max: 9, minMessage: "Enter an address" }), " ab "),
    ).toBe("Enter an address");
    expect(note.parse("  ")).toBe("");
  });

  it("takes passwords and keys as typed when told not to trim", () => {
    expect(text({ label: "Password", min: 1, max: 20, trim: false }).parse(" pw ")).toBe(" pw ");
  });

  it("is found through optional, default, nullable, arrays and pipes; other strings are closed formats or loose", () => {
    const schema = z
      .object({
        id: z.string().uuid(),
        reason: reason.optional(),
        note: note.default(""),
        url: text({ label: "URL", max: 50 })
          .refine((u) => u.startsWith("https://"))
          .nullable(),
        lines: z.array(z.object({ name: text({ label: "Name", max: 5 }), code: z.string().regex(/^\d+$/) })),
        card: z
          .string()
          .transform((s) => s.trim())
          .pipe(z.string().regex(/^\d+$/)),
        loose: z.string().max(5),
        link: z.string().url(),
      })
      .strict();
    const found = Object.fromEntries(
      stringFields(schema).map((f) => [
        f.path,
        f.text ? `text ${f.text.label}` : f.closed ? "closed" : "loose",
      ]),
    );
    expect(found).toEqual({
      id: "closed",
      reason: "text Reason",
      note: "text Note",
      url: "text URL",
      "lines[].name": "text Name",
      "lines[].code": "closed",
      card: "closed",
      loose: "loose",
      link: "loose",
    });
  });
});

describe("free text in the event and RPC contracts", () => {
  it("every string in every event's data and every RPC input is text or a closed format", () => {
    const loose: string[] = [];
    for (const def of eventRegistry.values()) {
      for (const f of stringFields(def.schema)) if (!f.text && !f.closed) loose.push(`${def.type} ${f.path}`);
    }
    for (const [method, m] of Object.entries(paymentRpc)) {
      for (const f of stringFields(m.input))
        if (!f.text && !f.closed) loose.push(`paymentRpc.${method} ${f.path}`);
    }
    expect(loose).toEqual([]);
  });

  it("an event carrying a control character is refused when it is created and when it is read", async () => {
    const { createEvent, StoreEvents } = await import("../src/index.js");
    const { parseEvent } = await import("../src/registry.js");
    const data = { ticketId: crypto.randomUUID(), orderId: crypto.randomUUID(), shopId: crypto.randomUUID() };
    expect(() => createEvent(StoreEvents.TicketRejected, { ...data, reason: "a\u0000b" })).toThrow(
      /control characters/,
    );
    const ok = createEvent(StoreEvents.TicketRejected, { ...data, reason: "재료\n소진" });
    expect(() => parseEvent({ ...ok, data: { ...ok.data, reason: "a\u0001b" } })).toThrow();
  });
});

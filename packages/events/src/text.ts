import { z } from "zod";

/**
 * Free text — names, reasons, addresses, notes, search strings, URLs — under one rule wherever
 * it enters: tRPC inputs of every context, event payloads, RPC inputs. Postgres refuses NUL in
 * text and lone surrogates in jsonb (a 500 and a half-done change), and other control
 * characters have no business in a name or a reason (they garble screens, logs and webhooks).
 * Lengths count characters (code points, as zod does), not UTF-16 units.
 */
export interface TextSpec {
  /** Names the field in messages: "Reason must not contain control characters". */
  label: string;
  /** Fewest characters, after trimming (0: may be empty). */
  min: number;
  /** Most characters (none for event payloads: the input they came from was bounded). */
  max?: number;
  /** Line breaks and tabs allowed (notes, descriptions, reasons typed in a textarea). */
  multiline: boolean;
  /** Leading and trailing whitespace removed (not for passwords and keys, taken as typed). */
  trim: boolean;
}

export interface TextOptions extends Partial<Omit<TextSpec, "label">> {
  label: string;
  /** Replaces the "too short" message (e.g. "Enter a delivery address"). */
  minMessage?: string;
}

/** C0 controls, DEL and C1 controls. */
// eslint-disable-next-line no-control-regex -- finding them is the point
const controls = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, but for line feed and tab (CR is turned into LF first). */
// eslint-disable-next-line no-control-regex -- finding them is the point
const controlsInMultiline = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** In a `u` regex a well-formed pair is one code point: only a lone half matches. */
const loneSurrogate = /\p{Cs}/u;

/** The one schema of free text. Its spec is recorded on it (see `stringFields`). */
export function text(options: TextOptions) {
  const { label, minMessage } = options;
  const spec: TextSpec = {
    label,
    min: options.min ?? 0,
    max: options.max,
    multiline: options.multiline ?? false,
    trim: options.trim ?? true,
  };
  let s = z.string();
  if (spec.multiline) s = s.overwrite((v) => v.replace(/\r\n?/g, "\n"));
  if (spec.trim) s = s.trim();
  s = s
    .refine((v) => !loneSurrogate.test(v), {
      error: `${label} contains invalid Unicode (a lone surrogate)`,
      abort: true,
    })
    .refine((v) => !(spec.multiline ? controlsInMultiline : controls).test(v), {
      error: `${label} must not contain control characters`,
      abort: true,
    });
  if (spec.min > 0) {
    s = s.min(
      spec.min,
      minMessage ??
        (spec.min === 1 ? `${label} must not be empty` : `${label} must be at least ${spec.min} characters`),
    );
  }
  if (spec.max !== undefined) s = s.max(spec.max, `${label} must be at most ${spec.max} characters`);
  return s.meta({ text: spec });
}

/** A string somewhere in a schema: free text (with its spec), a closed format, or neither. */
export interface StringField {
  /** `reason`, `lines[].name`. */
  path: string;
  text: TextSpec | null;
  /** Its characters are fixed by a format (uuid, email, datetime, a regex), so no rule is needed. */
  closed: boolean;
}

interface ZodInternals {
  _zod: {
    def: {
      type: string;
      shape?: Record<string, unknown>;
      innerType?: unknown;
      element?: unknown;
      in?: unknown;
      out?: unknown;
      options?: unknown[];
      checks?: { _zod: { def: { check: string; format?: string } } }[];
    };
  };
}

/** Formats whose strings are made of known characters; a URL is not one (it may carry NUL). */
const isClosedFormat = (c: { _zod: { def: { check: string; format?: string } } }) =>
  c._zod.def.check === "string_format" && c._zod.def.format !== "url";

/**
 * Every string in a zod schema, found through objects, arrays, optional/nullable/default
 * wrappers, unions and pipes (a pipe is judged by what comes out of it). Tests walk the routers'
 * inputs and the event contracts with it, so a string field outside the rule cannot slip in.
 */
export function stringFields(schema: unknown, path = ""): StringField[] {
  const def = (schema as ZodInternals)._zod.def;
  const at = (key: string) => (path ? `${path}.${key}` : key);
  switch (def.type) {
    case "string": {
      const meta = z.globalRegistry.get(schema as z.ZodType) as { text?: TextSpec } | undefined;
      return [{ path, text: meta?.text ?? null, closed: (def.checks ?? []).some(isClosedFormat) }];
    }
    case "object":
      return Object.entries(def.shape ?? {}).flatMap(([k, v]) => stringFields(v, at(k)));
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "nonoptional":
    case "catch":
      return stringFields(def.innerType, path);
    case "array":
      return stringFields(def.element, `${path}[]`);
    case "union":
      return (def.options ?? []).flatMap((o) => stringFields(o, path));
    case "pipe": {
      const out = (def.out as ZodInternals)._zod.def.type;
      return stringFields(out === "transform" ? def.in : def.out, path);
    }
    default:
      return [];
  }
}

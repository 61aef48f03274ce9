import type { TRPCError } from "@trpc/server";
import { ZodError } from "zod";

const MAX_ISSUES = 5;

/**
 * The message a client sees for a refused request. tRPC's own messages for bad input are a JSON
 * dump of zod issues, a bare JSON.parse message or just "PAYLOAD_TOO_LARGE"; this says in one
 * line what was wrong and where, and never echoes the input itself.
 */
export function clientMessage(error: TRPCError, fallback: string): string {
  const cause = error.cause;
  if (cause instanceof ZodError) {
    const issues = cause.issues.slice(0, MAX_ISSUES).map((i) => {
      const where = i.path.length ? i.path.map(String).join(".") : "input";
      return `${where}: ${i.message}`;
    });
    const more = cause.issues.length > MAX_ISSUES ? `; and ${cause.issues.length - MAX_ISSUES} more` : "";
    return `Invalid input — ${issues.join("; ")}${more}`;
  }
  if (cause instanceof SyntaxError && error.code === "BAD_REQUEST")
    return `The request is not valid JSON: ${cause.message}`;
  if (error.code === "PAYLOAD_TOO_LARGE") return "The request is too large";
  if (error.code === "METHOD_NOT_SUPPORTED" && fallback === error.code)
    return "This method is not supported here";
  return fallback;
}

import { TRPCError } from "@trpc/server";
import { RemoteTimeoutError, RemoteUnavailableError } from "@baedal/events";

export type DomainErrorCode =
  | "BAD_REQUEST"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "UNAUTHORIZED"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "PAYMENT_REQUIRED"
  | "SERVICE_UNAVAILABLE"
  | "TOO_MANY_REQUESTS";

/**
 * The one error type of Baedal's contexts. Domain code throws it for illegal transitions and
 * refused commands; the tRPC layer maps `code` to the HTTP status, and `reason` is a stable
 * machine-readable word the UI can translate.
 */
export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly reason: string = code,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} not found`, "NOT_FOUND");

export const illegalTransition = (what: string, from: string, action: string) =>
  new DomainError("CONFLICT", `${what} is ${from}; cannot ${action}`, "ILLEGAL_TRANSITION");

export const serviceBusy = (service: string) =>
  new DomainError(
    "SERVICE_UNAVAILABLE",
    `${service} is busy, please try again in a moment`,
    `${service.toUpperCase()}_BUSY`,
  );

/** Turns whatever a procedure threw into the TRPCError the client sees; never leaks a stack. */
export function toTRPCError(err: unknown): TRPCError {
  if (err instanceof TRPCError) return err;
  if (err instanceof DomainError) return new TRPCError({ code: err.code, message: err.message, cause: err });
  if (err instanceof RemoteUnavailableError || err instanceof RemoteTimeoutError) {
    return new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: `${err.service} is busy, please try again in a moment`,
      cause: serviceBusy(err.service),
    });
  }
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Something went wrong on our side", cause: err });
}

import { roles, type Role } from "../../platform/auth.js";
import { DomainError } from "../../platform/errors.js";

/** A Baedal account as the app shows it. Passwords and sessions are Better Auth's, never here. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** The shop a SHOP_OWNER runs. */
  shopId: string | null;
  phone: string;
  createdAt: Date;
}

export type Profile = User;

/** Emails are compared and stored trimmed and lowercased. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function asRole(value: string): Role {
  if (!(roles as readonly string[]).includes(value))
    throw new DomainError("BAD_REQUEST", `unknown role ${value}`);
  return value as Role;
}

/** The fields of a sign-up: every new account is a customer (role and shop are never inputs). */
export function customerSignUp(input: { email: string; password: string; name: string; phone: string }) {
  const name = input.name.trim();
  if (!name) throw new DomainError("BAD_REQUEST", "Name is required");
  return { email: normalizeEmail(input.email), password: input.password, name, phone: input.phone.trim() };
}

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

/**
 * An account brought in whole (the demo data): fixed ids, any role, its password in clear (hashed
 * on the way in). `credentialId` is the id of its Better Auth credential account.
 */
export interface ImportedAccount {
  id: string;
  credentialId: string;
  email: string;
  name: string;
  role: Role;
  shopId: string | null;
  phone: string;
  password: string;
}

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

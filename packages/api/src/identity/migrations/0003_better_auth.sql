-- Accounts, sessions and password hashing move to Better Auth (adapters/better-auth.ts).
-- users gains the fields Better Auth keeps; each existing password becomes a "credential"
-- account (a bcrypt hash, still verified); sessions and verifications are Better Auth's tables.
ALTER TABLE users
  ADD COLUMN email_verified boolean NOT NULL DEFAULT false,
  ADD COLUMN image text,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ALTER COLUMN role SET DEFAULT 'CUSTOMER';

CREATE TABLE accounts (
  id                       text PRIMARY KEY,
  account_id               text        NOT NULL,
  provider_id              text        NOT NULL,
  user_id                  uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  password                 text,
  access_token             text,
  refresh_token            text,
  id_token                 text,
  access_token_expires_at  timestamptz,
  refresh_token_expires_at timestamptz,
  scope                    text,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  UNIQUE (provider_id, account_id)
);
CREATE INDEX accounts_user_id_idx ON accounts (user_id);

INSERT INTO accounts (id, account_id, provider_id, user_id, password, created_at, updated_at)
SELECT gen_random_uuid()::text, id::text, 'credential', id, password_hash, created_at, now() FROM users;
ALTER TABLE users DROP COLUMN password_hash;

CREATE TABLE sessions (
  id         text PRIMARY KEY,
  token      text        NOT NULL UNIQUE,
  user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  ip_address text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE verifications (
  id         text PRIMARY KEY,
  identifier text        NOT NULL,
  value      text        NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX verifications_identifier_idx ON verifications (identifier);

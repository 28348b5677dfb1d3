-- Data keys for encryption at rest (src/server/crypto/vault.ts): one per member (and per program,
-- for shared snapshots), wrapped by the master key. Kept in a schema of their own, outside
-- Prisma's, so a backup of the data can leave them out and keep them apart (docs/architecture.md).
CREATE SCHEMA IF NOT EXISTS kindred_keys;

CREATE TABLE kindred_keys.data_key (
  owner      text        PRIMARY KEY,
  kek_id     text        NOT NULL,
  wrapped    bytea       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  rotated_at timestamptz
);

-- A rotation finds the keys still under an earlier master key.
CREATE INDEX data_key_kek_id ON kindred_keys.data_key (kek_id, owner);

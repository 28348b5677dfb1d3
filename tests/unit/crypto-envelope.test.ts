import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  EnvelopeError,
  isEnvelope,
  memberOwner,
  openWith,
  parseEnvelope,
  programOwner,
  sealWith,
  unwrapKey,
  wrapKey,
} from "@/server/crypto/envelope";
import {
  configuredMasterKeys,
  fingerprint,
  LocalKeyProvider,
  MasterKeyError,
} from "@/server/crypto/master-keys";

const key = randomBytes(32);
const ana = memberOwner("ckana0000000000000000000");
const ben = memberOwner("ckben0000000000000000000");

describe("envelopes", () => {
  it("seal and open strings and JSON, a fresh IV each time", () => {
    const a = sealWith(key, ana, "s", "Who I miss: Ben");
    const b = sealWith(key, ana, "s", "Who I miss: Ben");
    expect(a).not.toBe(b);
    expect(a).not.toContain("Ben");
    expect(isEnvelope(a)).toBe(true);
    expect(openWith(key, parseEnvelope(a))).toBe("Who I miss: Ben");
    const json = sealWith(key, programOwner("ckprog"), "j", JSON.stringify({ text: "é ✓" }));
    const parsed = parseEnvelope(json);
    expect(parsed).toMatchObject({ kind: "j", owner: "p:ckprog" });
    expect(JSON.parse(openWith(key, parsed))).toEqual({ text: "é ✓" });
  });

  it("refuses a value moved to another owner, altered, or opened with another key", () => {
    const sealed = sealWith(key, ana, "s", "private");
    const moved = sealed.replace(ana, ben);
    expect(() => openWith(key, parseEnvelope(moved))).toThrow(EnvelopeError);
    const body = sealed.slice(sealed.lastIndexOf(":") + 1);
    const flipped = `${body.slice(0, 20)}${body[20] === "A" ? "B" : "A"}${body.slice(21)}`;
    expect(() => openWith(key, parseEnvelope(sealed.replace(body, flipped)))).toThrow(
      EnvelopeError,
    );
    expect(() => openWith(randomBytes(32), parseEnvelope(sealed))).toThrow(/does not open/);
  });

  it("tells envelopes from text that only starts like one", () => {
    expect(isEnvelope("kx1: my notes")).toBe(false);
    expect(isEnvelope("kx1:s:m:x:short")).toBe(false);
    expect(() => parseEnvelope("kx1:q:m:x:AAAA")).toThrow(EnvelopeError);
    expect(isEnvelope(42)).toBe(false);
  });

  it("wraps a data key under a master key, bound to its owner", () => {
    const master = randomBytes(32);
    const wrapped = wrapKey(master, ana, key);
    expect(unwrapKey(master, ana, wrapped).equals(key)).toBe(true);
    expect(() => unwrapKey(master, ben, wrapped)).toThrow(EnvelopeError);
    expect(() => unwrapKey(randomBytes(32), ana, wrapped)).toThrow(EnvelopeError);
  });
});

describe("master keys", () => {
  it("wraps with the first key and unwraps with any it holds", async () => {
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const before = new LocalKeyProvider([oldKey]);
    const { kekId, wrapped } = await before.wrap(ana, key);
    expect(kekId).toBe(fingerprint(oldKey));
    const during = new LocalKeyProvider([newKey, oldKey]);
    expect(during.currentId).toBe(fingerprint(newKey));
    expect((await during.unwrap(ana, kekId, wrapped)).equals(key)).toBe(true);
    const after = new LocalKeyProvider([newKey]);
    await expect(after.unwrap(ana, kekId, wrapped)).rejects.toThrow(MasterKeyError);
  });

  it("reads KINDRED_MASTER_KEY, requires it in production, and keeps a demo's in the data folder", () => {
    const hex = randomBytes(32).toString("hex");
    expect(
      configuredMasterKeys({ NODE_ENV: "production", KINDRED_MASTER_KEY: hex })[0]?.toString("hex"),
    ).toBe(hex);
    expect(() => configuredMasterKeys({ NODE_ENV: "production" })).toThrow(
      /required in production/,
    );
    expect(() =>
      configuredMasterKeys({ NODE_ENV: "test", KINDRED_MASTER_KEY: "c2hvcnQ=" }),
    ).toThrow(/32 random bytes/);
    const dir = mkdtempSync(path.join(tmpdir(), "kindred-keys-"));
    const first = configuredMasterKeys({
      NODE_ENV: "production",
      KINDRED_DEMO: "1",
      KINDRED_DATA_DIR: dir,
    });
    const again = configuredMasterKeys({ NODE_ENV: "development", KINDRED_DATA_DIR: dir });
    expect(first).toHaveLength(1);
    expect(again[0]?.equals(first[0] as Buffer)).toBe(true);
    expect(readFileSync(path.join(dir, "master-key"), "utf8").trim()).toBe(
      first[0]?.toString("base64"),
    );
  });
});

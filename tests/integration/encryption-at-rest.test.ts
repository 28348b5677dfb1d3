import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { sealPlainRows } from "@/server/crypto/backfill";
import { memberOwner } from "@/server/crypto/envelope";
import { LocalKeyProvider } from "@/server/crypto/master-keys";
import { findKeys, keyStatus, rotateMasterKey, setKeyProvider } from "@/server/crypto/vault";
import { createDb, type Db } from "@/server/db";
import { buildJournalExport } from "@/server/journal/export";
import { seedDemo } from "../../prisma/seed";
import { ANSWERS, seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";
import { serverUrl, withDatabase } from "../helpers/database";

/**
 * Issue 12, part 1: private text is sealed at rest. A member's journey writes a marker into
 * every kind of private text (answer, draft, lens and scale notes, person, reach-out,
 * commitment, check-in, practice note, shared snapshot); `pg_dump` of the database holds none
 * of them, and the same dump restored and read through the app with the master key gives every
 * one back. A dump taken before an account is deleted cannot be opened for that member once the
 * key is gone, while the other members in it still open. A master-key rotation stopped half-way
 * and resumed leaves everyone readable.
 */
const url = serverUrl();
let app: TestApp;
let coach: Session["user"];
const dir = mkdtempSync(path.join(tmpdir(), "kindred-dump-"));
const made: string[] = [];

function dump(databaseUrl: string, file: string, ...args: string[]) {
  execFileSync("pg_dump", ["--no-owner", "--file", file, ...args, databaseUrl]);
  return readFileSync(file, "utf8");
}

async function restore(file: string): Promise<string> {
  const name = `kindred_restore_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  made.push(name);
  const target = withDatabase(url as string, name);
  execFileSync("psql", ["-q", "-v", "ON_ERROR_STOP=1", "-f", file, target], { stdio: "pipe" });
  return target;
}

/** A member's journey with `tag` in every private text it writes. */
async function journey(tag: string) {
  const user = await app.createUser("MEMBER", { email: `${tag}@test.local` });
  const me = app.caller(user);
  const seeded = await seedProgram(app.db, coach.id);
  await me.player.enrol({ programId: seeded.program.id });
  const contents = {
    ...ANSWERS,
    REFLECTION: { ...ANSWERS.REFLECTION, text: `answer ${tag}` },
    PEOPLE: {
      people: [{ name: `person ${tag}`, circle: "Friends", status: "KEEP", why: `why ${tag}` }],
    },
    COMMITMENT: { ...ANSWERS.COMMITMENT, text: `commitment ${tag}` },
    PRACTICE: { ...ANSWERS.PRACTICE, note: `practice ${tag}` },
  } as unknown as typeof ANSWERS;
  const passes: { passId: string }[] = [];
  for (const kind of Object.keys(contents) as (keyof typeof ANSWERS)[]) {
    passes.push(await me.player.submit({ exerciseId: seeded.ex[kind], content: contents[kind] }));
  }
  await me.player.saveDraft({
    exerciseId: seeded.laterExerciseId,
    content: { text: `draft ${tag}` },
    baseVersion: 0,
  });
  await me.coaching.share({ passId: passes[0]!.passId, audience: "COACH" });
  const person = await me.community.add({ name: `friend ${tag}`, circle: "Friends" });
  await me.community.logReachOut({ personId: person.id, note: `reach-out ${tag}` });
  const commitment = await app.db.commitment.findFirstOrThrow({ where: { userId: user.id } });
  await me.commitments.checkIn({
    id: commitment.id,
    outcome: "DONE",
    note: `check-in ${tag}`,
  });
  return user;
}

const markers = (tag: string) => [
  `answer ${tag}`,
  `person ${tag}`,
  `why ${tag}`,
  `commitment ${tag}`,
  `practice ${tag}`,
  `draft ${tag}`,
  `friend ${tag}`,
  `reach-out ${tag}`,
  `check-in ${tag}`,
];

beforeAll(async () => {
  app = await createTestApp();
  coach = await app.createUser("COACH");
  await seedDemo(app.db);
}, 60_000);

afterAll(async () => {
  setKeyProvider(undefined);
  await app?.close();
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    for (const name of made) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
});

describe.runIf(url)("private text at rest", () => {
  it("pg_dump holds no private text; restored with the master key, the app reads it all", async () => {
    const tag = `mk${randomBytes(4).toString("hex")}`;
    const user = await journey(tag);
    const text = dump(app.database.url, path.join(dir, "all.sql"));
    // The journey's rows are in the dump, sealed: their envelopes are there, the words are not.
    expect(text).toContain("kx1:");
    for (const marker of markers(tag)) expect(text).not.toContain(marker);
    // Nothing of the demo's private text either (its journals are written through the app too).
    const demo = await app.db.answerPass.findFirst({
      where: { user: { email: "maya@demo.kindred.local" }, kind: "REFLECTION" },
      select: { content: true },
    });
    const demoText = (demo?.content as { text?: string } | undefined)?.text ?? "";
    expect(demoText.length).toBeGreaterThan(20);
    expect(text).not.toContain(demoText.slice(0, 20));

    const restored = createDb(await restore(path.join(dir, "all.sql")), { max: 2 });
    try {
      const exported = JSON.stringify(await buildJournalExport(restored, user.id));
      for (const marker of markers(tag).filter((m) => !m.startsWith("draft"))) {
        expect(exported).toContain(marker);
      }
      const draft = await restored.answerDraft.findFirstOrThrow({ where: { userId: user.id } });
      expect(draft.content).toEqual({ text: `draft ${tag}` });
      const share = await restored.share.findFirstOrThrow({ where: { userId: user.id } });
      expect(JSON.stringify(share.snapshot)).toContain(`answer ${tag}`);
    } finally {
      await restored.$disconnect();
    }
  });

  it("after a deletion, a dump taken before it no longer opens for that member (the key is gone)", async () => {
    const goner = await journey(`gone${randomBytes(3).toString("hex")}`);
    const stays = await journey(`stay${randomBytes(3).toString("hex")}`);
    // The data backup leaves the key schema out; keys are backed up apart (docs).
    dump(app.database.url, path.join(dir, "data.sql"), "--exclude-schema=kindred_keys");
    const admin = app.caller(await app.createUser("ADMIN"));
    await admin.admin.users.deleteAccount({ userId: goner.id, reason: "Asked by email" });
    const keys = dump(app.database.url, path.join(dir, "keys.sql"), "--schema=kindred_keys");
    expect(keys).not.toContain(memberOwner(goner.id));

    const restoredUrl = await restore(path.join(dir, "data.sql"));
    execFileSync(
      "psql",
      ["-q", "-v", "ON_ERROR_STOP=1", "-f", path.join(dir, "keys.sql"), restoredUrl],
      {
        stdio: "pipe",
      },
    );
    const restored = createDb(restoredUrl, { max: 2 });
    try {
      // The deleted member's rows are in the old dump, and stay sealed: their key is gone.
      const gone = await restored.answerPass.findMany({ where: { userId: goner.id } });
      expect(gone.length).toBeGreaterThan(0);
      for (const pass of gone) expect(String(pass.content)).toMatch(/^kx1:j:m:/);
      const people = await restored.person.findMany({ where: { userId: goner.id } });
      expect(people.length).toBeGreaterThan(0);
      for (const p of people) expect(p.name).toMatch(/^kx1:s:m:/);
      await expect(
        findKeys({ db: restored, cache: false }, [memberOwner(goner.id)]),
      ).resolves.toEqual(new Map());
      // Everyone else's still do.
      const kept = await restored.answerPass.findMany({
        where: { userId: stays.id, kind: "REFLECTION" },
      });
      expect(JSON.stringify(kept)).toContain("answer stay");
    } finally {
      await restored.$disconnect();
    }
  });

  it("a master-key rotation stopped half-way and resumed leaves every member readable", async () => {
    const db: Db = app.db;
    const user0 = (await db.person.findFirstOrThrow()).userId;
    const before = await keyStatus(db);
    expect(before.reduce((n, r) => n + r.n, 0)).toBeGreaterThan(4);
    const oldKey = Buffer.from(process.env.KINDRED_MASTER_KEY as string, "hex");
    const newKey = randomBytes(32);
    setKeyProvider(new LocalKeyProvider([newKey, oldKey]));
    // Stopped after one batch of two keys.
    const half = await rotateMasterKey(db, { batch: 2, maxBatches: 1 });
    expect(half.rewrapped).toBe(2);
    expect(half.remaining).toBeGreaterThan(0);
    // A restart of the process in between: nothing cached.
    setKeyProvider(new LocalKeyProvider([newKey, oldKey]));
    const mixed = await db.answerPass.findMany({ select: { content: true } });
    expect(JSON.stringify(mixed)).not.toContain("kx1:");
    const done = await rotateMasterKey(db, { batch: 3 });
    expect(done.remaining).toBe(0);
    // The old master key can go: everything opens under the new one alone.
    setKeyProvider(new LocalKeyProvider([newKey]));
    const all = await db.answerPass.findMany({ select: { content: true } });
    expect(all.length).toBeGreaterThan(10);
    expect(JSON.stringify(all)).not.toContain("kx1:");
    const people = await db.person.findMany({ select: { name: true } });
    expect(people.some((p) => p.name.startsWith("person "))).toBe(true);
    // And a master key that never wrapped them opens nothing.
    setKeyProvider(new LocalKeyProvider([randomBytes(32)]));
    await expect(db.answerPass.findMany()).rejects.toThrow(/not configured/);
    // Text typed into a column that is not sealed, shaped like an envelope, is just text.
    const forged = `kx1:s:m:${user0}:${"A".repeat(40)}`;
    setKeyProvider(new LocalKeyProvider([newKey]));
    await db.user.update({ where: { id: user0 }, data: { name: forged } });
    expect((await db.user.findUniqueOrThrow({ where: { id: user0 } })).name).toBe(forged);
  });

  it("seals rows written before encryption at rest, and reads plain rows as they are meanwhile", async () => {
    const user = await app.createUser("MEMBER");
    await app.db.$executeRaw`
      INSERT INTO "Commitment" (id, "userId", text, "dueOn", "updatedAt")
      VALUES ('legacy-commitment', ${user.id}, 'legacy plain words', '2026-12-10', now())`;
    const plain = await app.db.commitment.findUniqueOrThrow({ where: { id: "legacy-commitment" } });
    expect(plain.text).toBe("legacy plain words");
    const totals = await sealPlainRows(app.db);
    expect(totals.Commitment).toBe(1);
    const [raw] = await app.db.$queryRawUnsafe<{ text: string }[]>(
      `SELECT left(text, 4) AS text FROM "Commitment" WHERE id = 'legacy-commitment'`,
    );
    expect(raw?.text).toBe("kx1:");
    const sealed = await app.db.commitment.findUniqueOrThrow({
      where: { id: "legacy-commitment" },
    });
    expect(sealed.text).toBe("legacy plain words");
    // SQL cannot compare sealed text: a filter, an order or a grouping on it is refused.
    await expect(
      app.db.commitment.findMany({ where: { text: "legacy plain words" } }),
    ).rejects.toThrow(/Commitment.text is sealed: it cannot be filtered/);
    await expect(app.db.person.findMany({ orderBy: { name: "asc" } })).rejects.toThrow(
      /Person.name is sealed: it cannot be ordered/,
    );
    await expect(app.db.person.groupBy({ by: ["why"], _count: { _all: true } })).rejects.toThrow(
      /Person.why is sealed: it cannot be grouped/,
    );
    // Nothing is left, so a second run seals nothing.
    expect(Object.values(await sealPlainRows(app.db)).every((n) => n === 0)).toBe(true);
  });
});

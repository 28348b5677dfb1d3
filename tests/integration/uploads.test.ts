import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { createDb, type Db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { whileDatabaseAway } from "@/server/http/unavailable";
import { handleUpload, serveUpload } from "@/server/uploads/http";
import { MAX_UPLOAD_BYTES } from "@/server/uploads/images";
import { importUploadFolder } from "@/server/uploads/import-folder";
import { type UploadStore, uploadStore } from "@/server/uploads/store";
import { createTestApp, type TestApp } from "../helpers/app";

/**
 * Uploads live in PostgreSQL: stored through one client, served through another (as two web
 * instances would), with every check of the upload route and caching by ETag.
 */
const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

let app: TestApp;
let otherDb: Db;
let store: UploadStore;
let other: UploadStore;
let coach: Session;
let admin: Session;
let member: Session;

const sessionOf = (user: Session["user"]): Session => ({
  user,
  expires: new Date(Date.now() + 60_000),
});

beforeAll(async () => {
  app = await createTestApp();
  otherDb = createDb(app.database.url, { max: 2 });
  store = uploadStore(app.db);
  other = uploadStore(otherDb);
  coach = sessionOf(await app.createUser("COACH"));
  admin = sessionOf(await app.createUser("ADMIN"));
  member = sessionOf(await app.createUser("MEMBER"));
});
afterAll(async () => {
  await otherDb?.$disconnect();
  await app?.close();
});

function uploadRequest(bytes: BlobPart, name: string, type: string, origin?: string) {
  const form = new FormData();
  form.set("file", new File([bytes], name, { type }));
  return new Request("http://localhost:3000/api/uploads", {
    method: "POST",
    body: form,
    headers: origin ? { origin } : {},
  });
}

const get = (headers: Record<string, string> = {}) =>
  new Request("http://localhost:3000/api/uploads/x", { headers });

const uploadCount = () => app.db.upload.count();

describe("cover uploads in the database", () => {
  it("stores a PNG under a random name and another instance serves it with safe headers", async () => {
    const response = await handleUpload(
      uploadRequest(PNG, "../../evil.png", "image/png"),
      coach,
      store,
    );
    expect(response.status).toBe(201);
    const { url } = (await response.json()) as { url: string };
    expect(url).toMatch(/^\/api\/uploads\/[a-f0-9]{32}\.png$/);
    const name = url.split("/").at(-1)!;

    const row = await app.db.upload.findUniqueOrThrow({ where: { name } });
    expect(row).toMatchObject({
      contentType: "image/png",
      size: PNG.length,
      sha256: sha256(PNG),
      uploaderId: coach.user.id,
    });
    expect(new Uint8Array(row.bytes)).toEqual(PNG);

    const served = await serveUpload(get(), name, other);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("content-length")).toBe(String(PNG.length));
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(served.headers.get("etag")).toBe(`"${sha256(PNG)}"`);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
  });

  it("answers a matching If-None-Match with 304 and no body, any other with the image", async () => {
    const response = await handleUpload(uploadRequest(JPEG, "a.jpg", "image/jpeg"), admin, store);
    const name = ((await response.json()) as { url: string }).url.split("/").at(-1)!;
    expect(name).toMatch(/\.jpg$/);
    const etag = `"${sha256(JPEG)}"`;

    const fresh = await serveUpload(get({ "if-none-match": `W/${etag}` }), name, other);
    expect(fresh.status).toBe(304);
    expect(fresh.headers.get("etag")).toBe(etag);
    expect(fresh.headers.get("cache-control")).toMatch(/immutable/);
    expect(await fresh.text()).toBe("");

    const stale = await serveUpload(get({ "if-none-match": `"${"0".repeat(64)}"` }), name, other);
    expect(stale.status).toBe(200);
    expect(stale.headers.get("content-type")).toBe("image/jpeg");
    expect(new Uint8Array(await stale.arrayBuffer())).toEqual(JPEG);
  });

  it("refuses a text file renamed .png, whatever its declared type, and stores nothing", async () => {
    const before = await uploadCount();
    const response = await handleUpload(
      uploadRequest("just some text, not an image", "photo.png", "image/png"),
      admin,
      store,
    );
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ error: "Use a PNG, JPEG or WebP image." });
    expect(await uploadCount()).toBe(before);
  });

  it("refuses anonymous, other origins, too many uploads, missing files and files over 2 MB", async () => {
    const png = () => uploadRequest(PNG, "a.png", "image/png");
    // Members upload too (their avatar), within a per-person cap.
    expect((await handleUpload(png(), member, store)).status).toBe(201);
    const capped = async () => {
      throw new DomainError("TOO_MANY_REQUESTS", "Slow down.");
    };
    const refused = await handleUpload(png(), member, store, undefined, capped);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: "Slow down." });
    const before = await uploadCount();
    expect((await handleUpload(png(), null, store)).status).toBe(401);
    const foreign = uploadRequest(PNG, "a.png", "image/png", "https://evil.example");
    expect((await handleUpload(foreign, coach, store)).status).toBe(403);
    // Behind a proxy the request's own origin is internal; APP_URL's origin is ours too.
    const viaProxy = uploadRequest(PNG, "a.png", "image/png", "https://kindred.example");
    expect((await handleUpload(viaProxy, coach, store, "https://kindred.example")).status).toBe(
      201,
    );
    const noFile = new Request("http://localhost:3000/api/uploads", {
      method: "POST",
      body: new FormData(),
    });
    expect((await handleUpload(noFile, coach, store)).status).toBe(400);
    const notMultipart = new Request("http://localhost:3000/api/uploads", {
      method: "POST",
      body: "x",
    });
    expect((await handleUpload(notMultipart, coach, store)).status).toBe(400);
    const big = new Uint8Array(MAX_UPLOAD_BYTES + 1);
    big.set(PNG);
    const tooBig = await handleUpload(uploadRequest(big, "big.png", "image/png"), coach, store);
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: string }).error).toMatch(/2 MB/);
    expect(await uploadCount()).toBe(before + 1);
  });

  it("answers 503 with Retry-After while the store is full, stores nothing, and works again after", async () => {
    // What PostgreSQL says when its disk is full (SQLSTATE 53100), for this table only.
    await app.db.$executeRawUnsafe(`CREATE FUNCTION upload_disk_full() RETURNS trigger
      LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'could not extend file' USING ERRCODE = 'disk_full'; END $$`);
    await app.db.$executeRawUnsafe(
      `CREATE TRIGGER upload_disk_full BEFORE INSERT ON "Upload" FOR EACH ROW EXECUTE FUNCTION upload_disk_full()`,
    );
    // The route's handler: the upload wrapped as src/app/api/uploads/route.ts wraps it.
    const route = whileDatabaseAway((request: Request) => handleUpload(request, coach, store));
    const before = await uploadCount();
    try {
      const full = await route(uploadRequest(PNG, "a.png", "image/png"));
      expect(full.status).toBe(503);
      expect(full.headers.get("retry-after")).toBe("5");
      expect(((await full.json()) as { error: string }).error).toMatch(/storage is full/);
      const asBrowser = uploadRequest(PNG, "a.png", "image/png");
      asBrowser.headers.set("accept", "text/html");
      const page = await route(asBrowser);
      expect(page.status).toBe(503);
      expect(await page.text()).toMatch(/Back in a moment/);
      expect(await uploadCount()).toBe(before);
    } finally {
      await app.db.$executeRawUnsafe(`DROP TRIGGER upload_disk_full ON "Upload"`);
      await app.db.$executeRawUnsafe(`DROP FUNCTION upload_disk_full()`);
    }
    expect((await route(uploadRequest(PNG, "a.png", "image/png"))).status).toBe(201);
    expect(await uploadCount()).toBe(before + 1);
    // Any other failure is not the database's, and stays an error.
    const broken = whileDatabaseAway(() => {
      throw new Error("a bug");
    });
    await expect(broken(uploadRequest(PNG, "a.png", "image/png"))).rejects.toThrow("a bug");
  });

  it("serves nothing for names that are not uploads, or not stored", async () => {
    for (const name of ["../package.json", "x.svg", `${"a".repeat(32)}.png`, "..%2Fetc%2Fpasswd"]) {
      expect((await serveUpload(get(), name, store)).status).toBe(404);
      expect((await serveUpload(get({ "if-none-match": "*" }), name, store)).status).toBe(404);
    }
  });

  it("never overwrites a stored name", async () => {
    const name = `${"b".repeat(32)}.png`;
    expect(await store.put({ name, contentType: "image/png", bytes: PNG, uploaderId: null })).toBe(
      true,
    );
    expect(
      await other.put({ name, contentType: "image/jpeg", bytes: JPEG, uploaderId: null }),
    ).toBe(false);
    expect(await store.get(name)).toMatchObject({ contentType: "image/png", sha256: sha256(PNG) });
  });
});

describe("covers left in an UPLOAD_DIR folder by earlier versions", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "kindred-upload-import-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("are copied in once under their own names; anything else is reported and left", async () => {
    const good = `${"c".repeat(32)}.png`;
    const disguised = `${"d".repeat(32)}.png`;
    const huge = `${"e".repeat(32)}.webp`;
    await writeFile(path.join(dir, good), PNG);
    const modified = new Date("2026-03-04T05:06:07.000Z");
    await utimes(path.join(dir, good), modified, modified);
    await writeFile(path.join(dir, disguised), JPEG);
    await writeFile(path.join(dir, huge), new Uint8Array(MAX_UPLOAD_BYTES + 1));
    await writeFile(path.join(dir, "notes.txt"), "hello");
    await mkdir(path.join(dir, `${"f".repeat(32)}.png`));

    const first = await importUploadFolder(store, dir);
    expect(first.imported).toEqual([good]);
    expect(first.skipped).toEqual([
      { name: disguised, reason: "content is not the image its name says" },
      { name: huge, reason: "empty or larger than 2 MB" },
      { name: "notes.txt", reason: "not an upload name" },
    ]);
    const row = await app.db.upload.findUniqueOrThrow({ where: { name: good } });
    expect(row).toMatchObject({
      contentType: "image/png",
      size: PNG.length,
      uploaderId: null,
      createdAt: modified,
    });
    const served = await serveUpload(get(), good, other);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);

    const again = await importUploadFolder(store, dir);
    expect(again.imported).toEqual([]);
    expect(await app.db.upload.count({ where: { name: good } })).toBe(1);
  });

  it("does nothing when there is no folder", async () => {
    expect(await importUploadFolder(store, path.join(dir, "missing"))).toEqual({
      imported: [],
      skipped: [],
    });
  });
});

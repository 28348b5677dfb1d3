import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { handleUpload, MAX_UPLOAD_BYTES, serveUpload, sniffImage } from "@/server/programs/uploads";

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const WEBP = new Uint8Array([0x52, 0x49, 0x46, 0x46, 4, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]);

const session = (role: "MEMBER" | "COACH" | "ADMIN"): Session => ({
  user: { id: `u-${role}`, email: `${role}@test.local`, name: null, role, timeZone: "UTC" },
  expires: new Date(Date.now() + 60_000),
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

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kindred-uploads-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("cover uploads", () => {
  it("recognises images by their first bytes only", () => {
    expect(sniffImage(PNG)).toBe("png");
    expect(sniffImage(JPEG)).toBe("jpg");
    expect(sniffImage(WEBP)).toBe("webp");
    expect(sniffImage(new TextEncoder().encode("<svg onload=alert(1)>"))).toBeNull();
    expect(
      sniffImage(new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x41, 0x56, 0x49])),
    ).toBeNull();
  });

  it("stores a PNG under a random name and serves it back with safe headers", async () => {
    const response = await handleUpload(
      uploadRequest(PNG, "../../evil.png", "image/png"),
      session("COACH"),
      dir,
    );
    expect(response.status).toBe(201);
    const { url } = (await response.json()) as { url: string };
    expect(url).toMatch(/^\/api\/uploads\/[a-f0-9]{32}\.png$/);
    const name = url.split("/").at(-1)!;
    expect(await readdir(dir)).toContain(name);
    expect(new Uint8Array(await readFile(path.join(dir, name)))).toEqual(PNG);

    const served = await serveUpload(name, dir);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("cache-control")).toMatch(/max-age=31536000/);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
  });

  it("refuses a text file renamed .png, whatever its declared type", async () => {
    const before = await readdir(dir);
    const response = await handleUpload(
      uploadRequest("just some text, not an image", "photo.png", "image/png"),
      session("ADMIN"),
      dir,
    );
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ error: "Use a PNG, JPEG or WebP image." });
    expect(await readdir(dir)).toEqual(before);
  });

  it("refuses anonymous, members, other origins, missing files and files over 2 MB", async () => {
    const png = () => uploadRequest(PNG, "a.png", "image/png");
    expect((await handleUpload(png(), null, dir)).status).toBe(401);
    expect((await handleUpload(png(), session("MEMBER"), dir)).status).toBe(403);
    expect(
      (
        await handleUpload(
          uploadRequest(PNG, "a.png", "image/png", "https://evil.example"),
          session("COACH"),
          dir,
        )
      ).status,
    ).toBe(403);
    const noFile = new Request("http://localhost:3000/api/uploads", {
      method: "POST",
      body: new FormData(),
    });
    expect((await handleUpload(noFile, session("COACH"), dir)).status).toBe(400);
    const notMultipart = new Request("http://localhost:3000/api/uploads", {
      method: "POST",
      body: "x",
    });
    expect((await handleUpload(notMultipart, session("COACH"), dir)).status).toBe(400);
    const big = new Uint8Array(MAX_UPLOAD_BYTES + 1);
    big.set(PNG);
    const tooBig = await handleUpload(
      uploadRequest(big, "big.png", "image/png"),
      session("COACH"),
      dir,
    );
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: string }).error).toMatch(/2 MB/);
  });

  it("serves nothing outside the upload folder", async () => {
    for (const name of ["../package.json", "x.svg", `${"a".repeat(32)}.png`, "..%2Fetc%2Fpasswd"]) {
      expect((await serveUpload(name, dir)).status).toBe(404);
    }
  });
});

describe("upload body limit", () => {
  it("refuses a chunked body over the cap without a Content-Length, before buffering it all", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(256 * 1024);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        if (pulled > 10 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const request = new Request("http://localhost/api/uploads", {
      method: "POST",
      body,
      headers: { "content-type": "multipart/form-data; boundary=x" },
      duplex: "half",
    } as RequestInit);
    const response = await handleUpload(
      request,
      {
        user: { id: "c", email: "c@x", name: null, role: "COACH", timeZone: "UTC" },
        expires: new Date(),
      },
      "/tmp/kindred-upload-limit-test",
    );
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(4 * 1024 * 1024);
  });
});

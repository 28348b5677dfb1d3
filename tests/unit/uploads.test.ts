import { describe, expect, it } from "vitest";
import { handleUpload, matchesEtag } from "@/server/uploads/http";
import { sniffImage } from "@/server/uploads/images";
import type { UploadStore } from "@/server/uploads/store";

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const WEBP = new Uint8Array([0x52, 0x49, 0x46, 0x46, 4, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]);

/** The handler must refuse before storing anything: a store that fails when touched. */
const untouchable: UploadStore = {
  put: () => Promise.reject(new Error("the store was reached")),
  stat: () => Promise.reject(new Error("the store was reached")),
  get: () => Promise.reject(new Error("the store was reached")),
};

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

  it("compares If-None-Match weakly, as a list or *", () => {
    const etag = `"${"ab".repeat(32)}"`;
    expect(matchesEtag(null, etag)).toBe(false);
    expect(matchesEtag(etag, etag)).toBe(true);
    expect(matchesEtag(`W/${etag}`, etag)).toBe(true);
    expect(matchesEtag(`"other", ${etag}`, etag)).toBe(true);
    expect(matchesEtag("*", etag)).toBe(true);
    expect(matchesEtag(`"${"cd".repeat(32)}"`, etag)).toBe(false);
    expect(matchesEtag("", etag)).toBe(false);
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
      untouchable,
    );
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(4 * 1024 * 1024);
  });
});

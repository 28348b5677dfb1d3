import { beforeEach, describe, expect, it } from "vitest";
import {
  createResendEmulator,
  type EmulatedEmail,
  type ResendEmulatorStore,
  type StoredEmail,
} from "@/server/emulators/resend";

/** The store contract in memory, including the "same key stores once" rule. */
function memoryStore(): ResendEmulatorStore & { all: StoredEmail[] } {
  const all: StoredEmail[] = [];
  return {
    all,
    async save(message: EmulatedEmail) {
      const twin = message.idempotencyKey
        ? all.find((m) => m.idempotencyKey === message.idempotencyKey)
        : undefined;
      if (twin) return { id: twin.id };
      const stored = { ...message, id: `em_${all.length + 1}`, createdAt: new Date() };
      all.push(stored);
      return { id: stored.id };
    },
    async findByIdempotencyKey(key) {
      return all.find((m) => m.idempotencyKey === key) ?? null;
    },
    async get(id) {
      return all.find((m) => m.id === id) ?? null;
    },
  };
}

const BASE = "http://emulator.test/api/emulators/resend";
const valid = {
  from: "Kindred <hello@kindred.local>",
  to: "member@example.org",
  subject: "Hello",
  html: "<p>Hello</p>",
  text: "Hello",
};

let store: ReturnType<typeof memoryStore>;
let emulate: (request: Request) => Promise<Response>;

beforeEach(() => {
  store = memoryStore();
  emulate = createResendEmulator({ store, apiKey: "re_test", basePath: "/api/emulators/resend" });
});

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return emulate(
    new Request(`${BASE}${path}`, {
      method: "POST",
      headers: { authorization: "Bearer re_test", "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

async function expectError(response: Response, status: number, name: string, message?: RegExp) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { statusCode: number; name: string; message: string };
  expect(body.statusCode).toBe(status);
  expect(body.name).toBe(name);
  if (message) expect(body.message).toMatch(message);
  return body;
}

describe("authentication", () => {
  it("answers 401 in Resend's error shape without a bearer key", async () => {
    const response = await emulate(
      new Request(`${BASE}/emails`, { method: "POST", body: JSON.stringify(valid) }),
    );
    await expectError(response, 401, "missing_api_key", /Authorization: Bearer/);
    expect(store.all).toHaveLength(0);
  });

  it("refuses an empty bearer key", async () => {
    const response = await post("/emails", valid, { authorization: "Bearer " });
    await expectError(response, 401, "missing_api_key");
  });

  it("accepts the key it was given", async () => {
    const response = await post("/emails", valid, { authorization: "Bearer re_test" });
    expect(response.status).toBe(200);
    expect(store.all).toHaveLength(1);
  });

  it("refuses any other key, as Resend does (403 invalid_api_key), and stores nothing", async () => {
    for (const key of ["anything", "re_demo_outbox", "re_test2", "re_tes", "RE_TEST"]) {
      const response = await post("/emails", valid, { authorization: `Bearer ${key}` });
      await expectError(response, 403, "invalid_api_key");
      const batch = await post("/emails/batch", [valid], { authorization: `Bearer ${key}` });
      await expectError(batch, 403, "invalid_api_key");
    }
    const read = await emulate(
      new Request(`${BASE}/emails/em_1`, { headers: { authorization: "Bearer anything" } }),
    );
    await expectError(read, 403, "invalid_api_key");
    expect(store.all).toHaveLength(0);
  });
});

describe("POST /emails", () => {
  it("stores the email and answers its id", async () => {
    const response = await post("/emails", {
      ...valid,
      to: ["a@example.org", "B <b@example.org>"],
      cc: "c@example.org",
      reply_to: "r@example.org",
      headers: { "List-Unsubscribe": "<https://x.test/u>" },
      tags: [{ name: "category", value: "sign-in" }],
    });
    expect(response.status).toBe(200);
    const { id } = (await response.json()) as { id: string };
    expect(id).toBe(store.all[0]?.id);
    expect(store.all[0]).toMatchObject({
      from: valid.from,
      to: ["a@example.org", "B <b@example.org>"],
      cc: ["c@example.org"],
      bcc: [],
      replyTo: ["r@example.org"],
      subject: "Hello",
      html: "<p>Hello</p>",
      text: "Hello",
      headers: { "List-Unsubscribe": "<https://x.test/u>" },
      tags: [{ name: "category", value: "sign-in" }],
      idempotencyKey: null,
    });
  });

  it("accepts text alone", async () => {
    const { html: _html, ...textOnly } = valid;
    expect((await post("/emails", textOnly)).status).toBe(200);
    expect(store.all[0]?.html).toBeNull();
  });

  it.each([
    ["a missing from", { ...valid, from: undefined }, /^Missing `from` field\.$/],
    ["a malformed from", { ...valid, from: "not an address" }, /Invalid `from` field.*format/],
    ["a missing to", { ...valid, to: undefined }, /^Missing `to` field\.$/],
    ["an empty to list", { ...valid, to: [] }, /^Missing `to` field\.$/],
    ["a malformed to", { ...valid, to: ["ok@example.org", "nope"] }, /Invalid `to` field.*format/],
    ["a numeric to", { ...valid, to: 42 }, /Invalid `to` field: expected a string or an array/],
    [
      "51 recipients",
      { ...valid, to: Array.from({ length: 51 }, (_, i) => `m${i}@example.org`) },
      /at most 50 recipients/,
    ],
    ["a malformed cc", { ...valid, cc: "nope" }, /Invalid `cc` field/],
    ["a missing subject", { ...valid, subject: undefined }, /^Missing `subject` field\.$/],
    [
      "neither html nor text",
      { ...valid, html: undefined, text: undefined },
      /Missing `html` or `text`/,
    ],
    ["non-string headers", { ...valid, headers: { "X-Count": 3 } }, /Invalid `headers` field/],
    ["a bad tag", { ...valid, tags: [{ name: "has space", value: "x" }] }, /Invalid `tags` field/],
    ["invalid JSON", "{not json", /Invalid JSON/],
  ])("answers 422 validation_error for %s", async (_label, body, message) => {
    await expectError(await post("/emails", body), 422, "validation_error", message);
    expect(store.all).toHaveLength(0);
  });

  it("accepts exactly 50 recipients", async () => {
    const to = Array.from({ length: 50 }, (_, i) => `m${i}@example.org`);
    expect((await post("/emails", { ...valid, to })).status).toBe(200);
  });
});

describe("idempotency", () => {
  it("answers the same id for a repeated key and stores once", async () => {
    const first = (await (await post("/emails", valid, { "idempotency-key": "k1" })).json()) as {
      id: string;
    };
    const second = (await (await post("/emails", valid, { "idempotency-key": "k1" })).json()) as {
      id: string;
    };
    expect(second.id).toBe(first.id);
    expect(store.all).toHaveLength(1);
    expect(store.all[0]?.idempotencyKey).toBe("k1");
  });

  it("stores twice without a key or with different keys", async () => {
    await post("/emails", valid);
    await post("/emails", valid);
    await post("/emails", valid, { "idempotency-key": "a" });
    await post("/emails", valid, { "idempotency-key": "b" });
    expect(store.all).toHaveLength(4);
  });

  it("refuses a reused key with a different payload", async () => {
    await post("/emails", valid, { "idempotency-key": "k2" });
    const response = await post(
      "/emails",
      { ...valid, subject: "Other" },
      { "idempotency-key": "k2" },
    );
    await expectError(response, 409, "invalid_idempotent_request");
    expect(store.all).toHaveLength(1);
  });

  it("refuses a key longer than 256 characters", async () => {
    const response = await post("/emails", valid, { "idempotency-key": "x".repeat(257) });
    await expectError(response, 400, "invalid_idempotency_key");
  });

  it("applies to a whole batch", async () => {
    const batch = [valid, { ...valid, to: "other@example.org" }];
    const first = (await (
      await post("/emails/batch", batch, { "idempotency-key": "b1" })
    ).json()) as {
      data: { id: string }[];
    };
    const second = (await (
      await post("/emails/batch", batch, { "idempotency-key": "b1" })
    ).json()) as {
      data: { id: string }[];
    };
    expect(first.data).toHaveLength(2);
    expect(second.data).toEqual(first.data);
    expect(store.all).toHaveLength(2);
  });
});

describe("POST /emails/batch", () => {
  it("stores every email and answers their ids in order", async () => {
    const batch = [
      valid,
      { ...valid, to: "two@example.org" },
      { ...valid, to: "three@example.org" },
    ];
    const response = await post("/emails/batch", batch);
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: { id: string }[] };
    expect(data.map((d) => d.id)).toEqual(store.all.map((m) => m.id));
    expect(store.all.map((m) => m.to[0])).toEqual([
      "member@example.org",
      "two@example.org",
      "three@example.org",
    ]);
  });

  it("accepts 100 emails and refuses 101", async () => {
    const ok = await post(
      "/emails/batch",
      Array.from({ length: 100 }, () => valid),
    );
    expect(ok.status).toBe(200);
    expect(store.all).toHaveLength(100);
    const tooMany = await post(
      "/emails/batch",
      Array.from({ length: 101 }, () => valid),
    );
    await expectError(tooMany, 422, "validation_error", /at most 100/);
    expect(store.all).toHaveLength(100);
  });

  it("refuses a non-array body and an empty batch", async () => {
    await expectError(await post("/emails/batch", valid), 422, "validation_error", /array/);
    await expectError(await post("/emails/batch", []), 422, "validation_error", /at least 1/);
  });

  it("rejects the whole batch when one email is invalid, naming it", async () => {
    const response = await post("/emails/batch", [valid, { ...valid, subject: undefined }]);
    await expectError(response, 422, "validation_error", /^`emails\[1\]`: Missing `subject`/);
    expect(store.all).toHaveLength(0);
  });
});

describe("GET /emails/:id", () => {
  it("returns a stored email in Resend's shape", async () => {
    const { id } = (await (await post("/emails", valid)).json()) as { id: string };
    const response = await emulate(
      new Request(`${BASE}/emails/${id}`, { headers: { authorization: "Bearer re_test" } }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      object: "email",
      id,
      from: valid.from,
      to: ["member@example.org"],
      subject: "Hello",
      html: "<p>Hello</p>",
      text: "Hello",
      last_event: "delivered",
    });
  });

  it("answers 404 for an unknown id", async () => {
    const response = await emulate(
      new Request(`${BASE}/emails/nope`, { headers: { authorization: "Bearer re_test" } }),
    );
    await expectError(response, 404, "not_found");
  });
});

describe("routing", () => {
  it("answers 404 outside the base path and for unknown routes", async () => {
    await expectError(
      await emulate(new Request("http://emulator.test/emails", { method: "POST" })),
      404,
      "not_found",
    );
    await expectError(await post("/domains", {}), 404, "not_found");
  });

  it("answers 405 for a wrong method", async () => {
    const response = await emulate(
      new Request(`${BASE}/emails`, { headers: { authorization: "Bearer re_test" } }),
    );
    await expectError(response, 405, "method_not_allowed");
  });
});

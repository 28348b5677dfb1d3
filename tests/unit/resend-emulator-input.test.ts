import { describe, expect, it } from "vitest";
import { createResendEmulator, type StoredEmail } from "@/server/emulators/resend";

/**
 * The emulator's inputs are checked like every other input: text PostgreSQL cannot store
 * (NUL, lone surrogates) is a 422 from the emulator, never a 500 from the database, and an
 * email id that cannot be one of ours is simply not found.
 */
const saved: StoredEmail[] = [];
const emulate = createResendEmulator({
  apiKey: "re_test",
  basePath: "/r",
  store: {
    async save(message) {
      saved.push({ ...message, id: `em_${saved.length + 1}`, createdAt: new Date() });
      return { id: `em_${saved.length}` };
    },
    async findByIdempotencyKey() {
      return null;
    },
    async get(id) {
      // A database would fail on these; the emulator must never ask.
      if (/[^\w-]/.test(id)) throw new Error(`asked for ${JSON.stringify(id)}`);
      return saved.find((m) => m.id === id) ?? null;
    },
  },
});

const send = (email: Record<string, unknown>) =>
  emulate(
    new Request("http://emulator.test/r/emails", {
      method: "POST",
      headers: { authorization: "Bearer re_test", "content-type": "application/json" },
      body: JSON.stringify(email),
    }),
  );
const valid = { from: "hello@kindred.local", to: "a@example.org", subject: "Hi", text: "Hi" };

describe("Resend emulator input", () => {
  it.each([
    ["subject", { subject: "Hi\u0000" }],
    ["text", { text: "half \ud83d" }],
    ["headers", { headers: { "X-Note": "a\u0001b" } }],
  ])("refuses a control character or a lone surrogate in %s with a 422", async (field, change) => {
    const response = await send({ ...valid, ...change });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { name: string; message: string };
    expect(body.name).toBe("validation_error");
    expect(body.message).toContain(`\`${field}\``);
    expect(saved).toHaveLength(0);
  });

  it("answers 404 for an id that cannot be ours, without looking it up", async () => {
    for (const id of ["%00", "%E0%A4%A", "a%20b"]) {
      const response = await emulate(
        new Request(`http://emulator.test/r/emails/${id}`, {
          headers: { authorization: "Bearer re_test" },
        }),
      );
      expect(response.status, id).toBe(404);
    }
  });
});

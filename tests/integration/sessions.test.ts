import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionFromToken } from "@/server/auth/session";
import {
  SESSION_MAX_AGE_SECONDS,
  SESSION_UPDATE_AGE_SECONDS,
  sessionCookie,
} from "@/server/auth/tokens";
import { createTestApp, type TestApp } from "../helpers/app";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

const DAY = 86_400_000;
const LIFETIME = SESSION_MAX_AGE_SECONDS * 1000;

/** A session row as next-auth creates it at sign-in (`signedInAt`). */
async function signIn(signedInAt: Date) {
  const user = await app.createUser("MEMBER");
  const token = randomBytes(16).toString("hex");
  await app.db.session.create({
    data: {
      sessionToken: token,
      userId: user.id,
      expires: new Date(signedInAt.getTime() + LIFETIME),
    },
  });
  return { user, token };
}
const expiresOf = async (token: string) =>
  (await app.db.session.findUniqueOrThrow({ where: { sessionToken: token } })).expires;

describe("sessions slide on use", () => {
  it("keeps a member who comes back every few days signed in far past 30 days", async () => {
    const start = new Date("2026-01-01T09:00:00Z");
    const { token } = await signIn(start);
    // Every 5 days for 120 days: never signed out.
    for (let day = 5; day <= 120; day += 5) {
      const at = new Date(start.getTime() + day * DAY);
      const session = await sessionFromToken(app.db, token, at);
      expect(session, `day ${day}`).not.toBeNull();
      expect(session!.renewed).toBe(true);
      expect((await expiresOf(token)).getTime()).toBe(at.getTime() + LIFETIME);
    }
  });

  it("renews at most once a day, and not at all within the first day", async () => {
    const start = new Date("2026-02-01T09:00:00Z");
    const { token } = await signIn(start);
    const soon = new Date(start.getTime() + SESSION_UPDATE_AGE_SECONDS * 1000 - 60_000);
    expect((await sessionFromToken(app.db, token, soon))?.renewed).toBe(false);
    expect((await expiresOf(token)).getTime()).toBe(start.getTime() + LIFETIME);
    // Ten requests at once after a day: one renewal.
    const later = new Date(start.getTime() + 2 * DAY);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => sessionFromToken(app.db, token, later)),
    );
    expect(results.every((r) => r !== null)).toBe(true);
    expect(results.filter((r) => r!.renewed)).toHaveLength(1);
    expect((await expiresOf(token)).getTime()).toBe(later.getTime() + LIFETIME);
  });

  it("ends for a member who stays away longer than the lifetime", async () => {
    const start = new Date("2026-03-01T09:00:00Z");
    const { token } = await signIn(start);
    expect(
      await sessionFromToken(app.db, token, new Date(start.getTime() + 29 * DAY)),
    ).not.toBeNull();
    // Renewed on day 29: valid until day 59, gone on day 60.
    expect(
      await sessionFromToken(app.db, token, new Date(start.getTime() + 58 * DAY)),
    ).not.toBeNull();
    const away = new Date(start.getTime() + 58 * DAY + LIFETIME + 1000);
    expect(await sessionFromToken(app.db, token, away)).toBeNull();
  });

  it("writes the session cookie as next-auth does, with the new expiry", () => {
    const expires = new Date("2026-05-01T10:00:00Z");
    expect(sessionCookie("http://localhost:3000", "abc", expires)).toBe(
      "next-auth.session-token=abc; Path=/; Expires=Fri, 01 May 2026 10:00:00 GMT; HttpOnly; SameSite=Lax",
    );
    expect(sessionCookie("https://kindred.example", "abc", expires)).toMatch(
      /^__Secure-next-auth\.session-token=abc; .*; Secure$/,
    );
  });
});

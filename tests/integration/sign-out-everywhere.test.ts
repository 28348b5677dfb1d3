import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionFromToken } from "@/server/auth/session";
import { signOutSessions } from "@/server/me/service";
import { createTestApp, type TestApp } from "../helpers/app";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

async function sessionsOf(userId: string, n: number) {
  const tokens = Array.from({ length: n }, (_, i) => `tok-${userId}-${i}-${Date.now()}`);
  await app.db.session.createMany({
    data: tokens.map((sessionToken) => ({
      sessionToken,
      userId,
      expires: new Date(Date.now() + 86_400_000),
    })),
  });
  return tokens;
}

describe("signing out everywhere", () => {
  it("ends every other session of the member at once and keeps this one, nobody else's", async () => {
    const member = await app.createUser("MEMBER");
    const other = await app.createUser("MEMBER");
    const [here, ...elsewhere] = await sessionsOf(member.id, 3);
    const [theirs] = await sessionsOf(other.id, 1);
    expect(await signOutSessions(app.db, member.id, here!)).toEqual({ ended: 2 });
    expect(await sessionFromToken(app.db, here)).not.toBeNull();
    for (const token of elsewhere) expect(await sessionFromToken(app.db, token)).toBeNull();
    expect(await sessionFromToken(app.db, theirs)).not.toBeNull();
    // Again: nothing else to end.
    expect(await signOutSessions(app.db, member.id, here!)).toEqual({ ended: 0 });
  });

  it("ends this session too when asked, through the procedure", async () => {
    const member = await app.createUser("MEMBER");
    const tokens = await sessionsOf(member.id, 2);
    expect(await app.caller(member).me.signOutEverywhere({ keepThisDevice: false })).toEqual({
      ended: 2,
    });
    for (const token of tokens) expect(await sessionFromToken(app.db, token)).toBeNull();
    await expect(
      app.caller(member).me.signOutEverywhere({ keepThisDevice: "yes" as unknown as boolean }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

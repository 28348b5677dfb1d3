import { randomBytes } from "node:crypto";
import { zonedInstant } from "@/lib/time-zone";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import type { Env } from "../env";
import { DomainError } from "../errors";
import { requireManaged } from "./access";
import { type CalendarEvent, calendar } from "./ics";

/**
 * Live sessions: a cohort's calls, with a join link. Coaches give the date and time in the
 * cohort's zone (as people say "Tuesdays at 7 pm" for a group); each member sees them in their
 * own zone, and subscribes to all of theirs through one secret calendar URL.
 */

const fieldError = (field: string, message: string) =>
  new DomainError("BAD_REQUEST", "Please correct the highlighted fields.", { [field]: [message] });

type SessionFields = {
  title: string;
  date: string;
  time: string;
  durationMinutes: number;
  joinUrl: string;
};

function startsAt(input: SessionFields, zone: string, now: Date): Date {
  const [hour, minute] = input.time.split(":").map(Number);
  const at = zonedInstant(input.date, zone, hour, minute);
  if (at.getTime() <= now.getTime()) {
    throw fieldError("date", "Choose a time that has not passed yet.");
  }
  return at;
}

export async function addSession(
  db: Db,
  actor: SignedInUser,
  input: SessionFields & { cohortId: string },
  now = new Date(),
) {
  const cohort = await requireManaged(db, actor, input.cohortId);
  if (cohort.finishedAt) {
    throw new DomainError("PRECONDITION_FAILED", "This cohort has finished.");
  }
  return db.liveSession.create({
    data: {
      cohortId: cohort.id,
      title: input.title,
      startsAt: startsAt(input, cohort.timeZone, now),
      durationMinutes: input.durationMinutes,
      joinUrl: input.joinUrl,
    },
    select: { id: true, startsAt: true },
  });
}

async function managedSession(db: Db, actor: SignedInUser, sessionId: string) {
  const session = await db.liveSession.findUnique({
    where: { id: sessionId },
    select: { id: true, cohortId: true, cancelledAt: true },
  });
  if (!session) throw new DomainError("NOT_FOUND", "We could not find that session.");
  const cohort = await requireManaged(db, actor, session.cohortId).catch(() => {
    throw new DomainError("NOT_FOUND", "We could not find that session.");
  });
  return { session, cohort };
}

/** A change bumps SEQUENCE, so calendar apps replace their copy. */
export async function updateSession(
  db: Db,
  actor: SignedInUser,
  input: SessionFields & { sessionId: string },
  now = new Date(),
) {
  const { session, cohort } = await managedSession(db, actor, input.sessionId);
  if (session.cancelledAt) {
    throw new DomainError("PRECONDITION_FAILED", "This session was cancelled; add a new one.");
  }
  return db.liveSession.update({
    where: { id: session.id },
    data: {
      title: input.title,
      startsAt: startsAt(input, cohort.timeZone, now),
      durationMinutes: input.durationMinutes,
      joinUrl: input.joinUrl,
      sequence: { increment: 1 },
    },
    select: { id: true, startsAt: true, sequence: true },
  });
}

export async function cancelSession(db: Db, actor: SignedInUser, sessionId: string) {
  const { session } = await managedSession(db, actor, sessionId);
  if (session.cancelledAt) return { id: session.id, cancelled: true };
  await db.liveSession.update({
    where: { id: session.id },
    data: { cancelledAt: new Date(), sequence: { increment: 1 } },
  });
  return { id: session.id, cancelled: true };
}

function links(env: Env, token: string) {
  const url = `${env.appUrl}/api/calendar/${token}`;
  return { url, webcal: url.replace(/^https?:/, "webcal:") };
}

/** My calendar feed's URL, or null until I make one. */
export async function calendarLink(db: Db, env: Env, userId: string) {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { calendarToken: true },
  });
  return user.calendarToken ? links(env, user.calendarToken) : null;
}

/** Makes my calendar URL, or replaces it (the old one stops working at once). */
export async function resetCalendarLink(db: Db, env: Env, userId: string) {
  const token = randomBytes(24).toString("base64url");
  await db.user.update({ where: { id: userId }, data: { calendarToken: token } });
  return links(env, token);
}

export const CALENDAR_LIMIT = 500;

/**
 * The feed: every session of every cohort I have a seat in, from 60 days back, including
 * cancelled ones (marked). An unknown token is a 404, whatever it looks like.
 */
export async function calendarFeed(db: Db, env: Env, token: string, now = new Date()) {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  const user = await db.user.findUnique({
    where: { calendarToken: token },
    select: { id: true, deactivatedAt: true },
  });
  if (!user || user.deactivatedAt) return null;
  const rows = await db.liveSession.findMany({
    where: {
      startsAt: { gte: new Date(now.getTime() - 60 * 86_400_000) },
      cohort: { members: { some: { userId: user.id, status: "ACTIVE" } } },
    },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: CALENDAR_LIMIT,
    select: {
      id: true,
      title: true,
      startsAt: true,
      durationMinutes: true,
      joinUrl: true,
      sequence: true,
      cancelledAt: true,
      updatedAt: true,
      cohort: { select: { name: true, slug: true } },
    },
  });
  const events: CalendarEvent[] = rows.map((r) => ({
    id: r.id,
    title: r.title,
    cohortName: r.cohort.name,
    startsAt: r.startsAt,
    durationMinutes: r.durationMinutes,
    joinUrl: r.joinUrl,
    sequence: r.sequence,
    cancelled: r.cancelledAt !== null,
    updatedAt: r.updatedAt,
    pageUrl: `${env.appUrl}/app/cohorts/${r.cohort.slug}`,
  }));
  return calendar(events, {
    name: "Kindred live sessions",
    host: new URL(env.appUrl).hostname,
    now,
  });
}

import type { Prisma } from "@/generated/prisma/client";
import { DAY_MS, zonedInstant } from "@/lib/time-zone";
import { rebuildAggregates } from "@/server/activity/service";
import type { Db } from "@/server/db";
import { DEMO_ACCOUNTS } from "@/server/demo";
import { snapshotOf } from "@/server/sharing/service";
import { DEMO_MODULES, DEMO_PROGRAM } from "./demo-program";

/**
 * Demo content for a first run. Idempotent: everything is keyed by a natural unique value and
 * created only when missing, so a second start adds nothing and keeps what the demo users did.
 */
export async function seedDemo(db: Db, now = new Date()): Promise<{ created: string[] }> {
  const created: string[] = [];
  for (const account of DEMO_ACCOUNTS) {
    const existing = await db.user.findUnique({ where: { email: account.email } });
    if (existing) continue;
    await db.user.create({
      data: {
        email: account.email,
        name: account.name,
        role: account.role,
        timeZone: "Europe/London",
        emailVerified: now,
      },
    });
    created.push(account.email);
  }
  if (await seedProgram(db, now)) created.push(`program ${DEMO_PROGRAM.slug}`);
  if (await seedMemberJourney(db, now)) {
    created.push("demo member answers");
    // The journey is written as history; the aggregates kept on write are derived from it.
    await rebuildAggregates(db);
  }
  if (await seedCohorts(db, now)) {
    created.push("demo cohorts");
    await rebuildAggregates(db);
  }
  if (await seedReminders(db, now)) created.push("demo reminders");
  return { created };
}

/**
 * Maya's reflection reminder: at the minute after the first start (her local time, every day),
 * and the first one planned 30 seconds after it, so the mailbox shows a real nudge within a
 * minute; from then on it comes daily at that time. Left alone once it exists.
 */
async function seedReminders(db: Db, now: Date): Promise<boolean> {
  const maya = await db.user.findUnique({ where: { email: email("MEMBER") } });
  if (!maya) return false;
  if (await db.nudgeSettings.findUnique({ where: { userId: maya.id } })) return false;
  const soon = new Date(now.getTime() + 30_000);
  const [hour, minute] = new Intl.DateTimeFormat("en-GB", {
    timeZone: maya.timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  })
    .format(soon)
    .split(":")
    .map(Number);
  await db.nudgeSettings.create({
    data: {
      userId: maya.id,
      reminderMinute: (hour ?? 0) * 60 + (minute ?? 0),
      nextReminderAt: soon,
    },
  });
  return true;
}

const email = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!.email;
const daysAgo = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

async function seedProgram(db: Db, now: Date): Promise<boolean> {
  if (await db.program.findUnique({ where: { slug: DEMO_PROGRAM.slug } })) return false;
  const coach = await db.user.findUniqueOrThrow({ where: { email: email("COACH") } });
  await db.program.create({
    data: {
      ...DEMO_PROGRAM,
      status: "PUBLISHED",
      pacing: "SELF_PACED",
      accessRule: "FREE",
      authorId: coach.id,
      publishedAt: daysAgo(now, 30),
      modules: {
        create: DEMO_MODULES.map((module, m) => ({
          title: module.title,
          position: m,
          unlockDayOffset: module.unlockDayOffset,
          steps: {
            create: module.steps.map((step, s) => ({
              title: step.title,
              body: step.body,
              position: s,
              exercises: {
                create: step.exercises.map((exercise, e) => ({
                  kind: exercise.kind,
                  prompt: exercise.prompt,
                  config: exercise.config as Prisma.InputJsonObject,
                  revisitAfterDays: exercise.revisitAfterDays,
                  position: e,
                })),
              },
            })),
          },
        })),
      },
    },
  });
  return true;
}

/** Maya has been at it for three weeks: two passes of a prompt and a moving scale. */
async function seedMemberJourney(db: Db, now: Date): Promise<boolean> {
  const member = await db.user.findUniqueOrThrow({ where: { email: email("MEMBER") } });
  if (await db.answerPass.count({ where: { userId: member.id } })) return false;
  const program = await db.program.findUniqueOrThrow({
    where: { slug: DEMO_PROGRAM.slug },
    include: {
      modules: {
        orderBy: { position: "asc" },
        include: {
          steps: {
            orderBy: { position: "asc" },
            include: { exercises: { orderBy: { position: "asc" } } },
          },
        },
      },
    },
  });
  const steps = program.modules.flatMap((m) => m.steps);
  const exercise = (stepIndex: number) => {
    const step = steps[stepIndex]!;
    const ex = step.exercises[0]!;
    return { step, ex };
  };

  await db.$transaction(async (tx) => {
    await tx.enrolment.create({
      data: {
        userId: member.id,
        programId: program.id,
        createdAt: daysAgo(now, 21),
        currentStepId: steps[6]!.id,
      },
    });
    const pass = async (
      stepIndex: number,
      passNumber: number,
      content: Prisma.InputJsonObject,
      at: Date,
      scaleValue?: number,
    ) => {
      const { step, ex } = exercise(stepIndex);
      return tx.answerPass.create({
        data: {
          userId: member.id,
          exerciseId: ex.id,
          programId: program.id,
          passNumber,
          kind: ex.kind,
          content,
          scaleValue: scaleValue ?? null,
          promptSnapshot: {
            prompt: ex.prompt,
            config: ex.config as Prisma.InputJsonObject,
            revision: ex.revision,
            stepTitle: step.title,
            programTitle: program.title,
          },
          createdAt: at,
        },
      });
    };

    await pass(
      0,
      1,
      {
        text: "My sister, two friends from university and the people at the Saturday running club. They gave me a sense that someone would notice if I disappeared.",
        probes: [
          "Because for years I moved cities and nobody really knew me.",
          "Being known is what makes a place feel like home.",
          "The running club — I would lose my week's rhythm.",
        ],
      },
      daysAgo(now, 18),
    );
    await pass(
      0,
      2,
      {
        text: "My sister, my two university friends, the Saturday running club and, newly, my neighbour Tom. They gave me a sense that people would notice — and lately that I can ask, not only give.",
        probes: [
          "Because I used to think I had to manage everything alone.",
          "Being known, and being able to ask, is what makes a place feel like home.",
          "The running club and the Sunday calls with my sister.",
        ],
      },
      daysAgo(now, 3),
    );
    await pass(
      1,
      1,
      {
        text: "Keep close: my sister, Ana and the running club. Let go: the group chat from my old job that only makes me feel behind.",
        probes: ["People I can be unpolished with."],
      },
      daysAgo(now, 25),
    );
    await pass(
      2,
      1,
      {
        answers: {
          Career: "A mentor outside my company.",
          Work: "Lunch with colleagues instead of eating at my desk.",
          Friendships: "Time with friends that is not planned weeks ahead.",
          Family: "Calling my father without a reason.",
        },
      },
      daysAgo(now, 35),
    );
    await pass(
      3,
      1,
      { value: 3, followUp: "Believing people are glad to help, not burdened.", why: "" },
      daysAgo(now, 15),
      3,
    );
    await pass(
      3,
      2,
      {
        value: 6,
        followUp: "Practice: ask for one small thing a week.",
        why: "I asked Tom to water my plants and he was happy to. It moved because I tried it once.",
      },
      daysAgo(now, 1),
      6,
    );
    const people = await pass(
      4,
      1,
      {
        people: [
          {
            name: "Lena (sister)",
            circle: "Family",
            status: "KEEP",
            why: "Sunday calls keep us close.",
            lastContact: isoDay(daysAgo(now, 2)),
          },
          {
            name: "Ana",
            circle: "Friends",
            status: "RECONNECT",
            why: "We drifted after she moved; I worry it is awkward now.",
            lastContact: isoDay(daysAgo(now, 200)),
          },
          {
            name: "Old team group chat",
            circle: "Work",
            status: "MOVE_ON",
            why: "It no longer gives me anything.",
          },
        ],
      },
      daysAgo(now, 14),
    );
    await tx.person.createMany({
      data: [
        {
          userId: member.id,
          name: "Lena (sister)",
          circle: "Family",
          status: "KEEP",
          why: "Sunday calls keep us close.",
          lastContactAt: daysAgo(now, 2),
          sourcePassId: people.id,
        },
        {
          userId: member.id,
          name: "Ana",
          circle: "Friends",
          status: "RECONNECT",
          why: "We drifted after she moved; I worry it is awkward now.",
          lastContactAt: daysAgo(now, 200),
          plannedReachOutAt: daysAgo(now, -2),
          sourcePassId: people.id,
        },
        {
          userId: member.id,
          name: "Old team group chat",
          circle: "Work",
          status: "MOVE_ON",
          why: "It no longer gives me anything.",
          sourcePassId: people.id,
        },
      ],
    });
    const commitment = await pass(
      5,
      1,
      { text: "Send Ana a voice note about the photo from our trip.", dueOn: isoDay(now) },
      daysAgo(now, 1),
    );
    await tx.commitment.create({
      data: {
        userId: member.id,
        text: "Send Ana a voice note about the photo from our trip.",
        dueOn: new Date(`${isoDay(now)}T00:00:00Z`),
        sourcePassId: commitment.id,
      },
    });
    const practice = exercise(6).ex;
    await tx.practiceTick.createMany({
      data: [
        {
          userId: member.id,
          exerciseId: practice.id,
          practiceKey: "start-where-you-are",
          createdAt: daysAgo(now, 4),
        },
        {
          userId: member.id,
          exerciseId: practice.id,
          practiceKey: "be-open",
          createdAt: daysAgo(now, 4),
        },
        {
          userId: member.id,
          exerciseId: practice.id,
          practiceKey: "be-consistent",
          createdAt: daysAgo(now, 1),
        },
        {
          userId: member.id,
          exerciseId: practice.id,
          practiceKey: "make-the-first-move",
          createdAt: now,
        },
      ],
    });
    await tx.stepCompletion.createMany({
      data: steps.slice(0, 6).map((step, i) => ({
        userId: member.id,
        stepId: step.id,
        completedAt: daysAgo(now, 18 - i * 2),
      })),
    });
  });
  return true;
}

/** Cohort members who are not sign-in accounts: a group at different points of the program. */
export const DEMO_COHORT_MEMBERS = [
  {
    name: "Nadia Haddad",
    email: "nadia@demo.kindred.local",
    done: 7,
    lastActive: 0,
    bio: "Nurse on night shifts, learning to ask for help.",
  },
  {
    name: "Tomás Reyes",
    email: "tomas@demo.kindred.local",
    done: 5,
    lastActive: 2,
    bio: "New in town. Two kids, one dog, too many unanswered messages.",
  },
  { name: "Amara Diallo", email: "amara@demo.kindred.local", done: 3, lastActive: 6, bio: "" },
  {
    name: "Sam Ortiz",
    email: "sam@demo.kindred.local",
    done: 1,
    lastActive: 12,
    bio: "Here for the Sunday calls.",
  },
  { name: "Lena Berg", email: "lena@demo.kindred.local", done: 0, lastActive: -1, bio: "" },
];

export const DEMO_COHORT = { slug: "winter-circle", name: "Winter circle" };

/**
 * A cohort of the demo program 16 days in (every module open), with Maya and five others at
 * different points, and a second one starting in three weeks that still takes members.
 */
async function seedCohorts(db: Db, now: Date): Promise<boolean> {
  if (await db.cohort.findUnique({ where: { slug: DEMO_COHORT.slug } })) return false;
  const coach = await db.user.findUniqueOrThrow({ where: { email: email("COACH") } });
  const maya = await db.user.findUniqueOrThrow({ where: { email: email("MEMBER") } });
  const program = await db.program.findUniqueOrThrow({
    where: { slug: DEMO_PROGRAM.slug },
    include: {
      modules: {
        orderBy: { position: "asc" },
        include: { steps: { orderBy: { position: "asc" } } },
      },
    },
  });
  const steps = program.modules.flatMap((m) => m.steps);
  const zone = "Europe/London";
  await db.$transaction(async (tx) => {
    const running = await tx.cohort.create({
      data: {
        programId: program.id,
        name: DEMO_COHORT.name,
        slug: DEMO_COHORT.slug,
        startDate: new Date(`${isoDay(daysAgo(now, 16))}T00:00:00Z`),
        timeZone: zone,
        capacity: 12,
        createdById: coach.id,
        facilitators: { create: { userId: coach.id } },
      },
    });
    await tx.cohort.create({
      data: {
        programId: program.id,
        name: "Spring circle",
        slug: "spring-circle",
        startDate: new Date(`${isoDay(daysAgo(now, -21))}T00:00:00Z`),
        timeZone: zone,
        capacity: 8,
        createdById: coach.id,
        facilitators: { create: { userId: coach.id } },
      },
    });
    let position = 0;
    const seat = async (userId: string, joinedDaysAgo: number) => {
      position += 1;
      await tx.cohortMember.create({
        data: {
          cohortId: running.id,
          userId,
          status: "ACTIVE",
          queuePosition: position,
          joinedAt: daysAgo(now, joinedDaysAgo),
          createdAt: daysAgo(now, joinedDaysAgo),
        },
      });
    };
    await seat(maya.id, 17);
    await tx.user.updateMany({
      where: { id: maya.id, bio: "" },
      data: { bio: "Runner, sister, slowly learning that asking is a strength." },
    });
    // A weekly call, three days from now at 19:00 in the cohort's zone.
    await tx.liveSession.create({
      data: {
        cohortId: running.id,
        title: "Weekly circle call",
        startsAt: zonedInstant(isoDay(daysAgo(now, -3)), zone, 19, 0),
        durationMinutes: 60,
        joinUrl: "https://meet.example.org/winter-circle",
      },
    });
    const others: string[] = [];
    await tx.enrolment.updateMany({
      where: { userId: maya.id, programId: program.id },
      data: { cohortId: running.id },
    });
    for (const [i, m] of DEMO_COHORT_MEMBERS.entries()) {
      const user = await tx.user.upsert({
        where: { email: m.email },
        create: { email: m.email, name: m.name, timeZone: zone, bio: m.bio },
        update: {},
      });
      await seat(user.id, 17 - i);
      others.push(user.id);
      await tx.enrolment.upsert({
        where: { userId_programId: { userId: user.id, programId: program.id } },
        create: {
          userId: user.id,
          programId: program.id,
          cohortId: running.id,
          createdAt: daysAgo(now, 17 - i),
          currentStepId: steps[m.done]?.id ?? null,
        },
        update: { cohortId: running.id },
      });
      await tx.stepCompletion.createMany({
        data: steps.slice(0, m.done).map((step, s) => ({
          userId: user.id,
          stepId: step.id,
          completedAt: daysAgo(now, Math.max(m.lastActive, 0) + (m.done - 1 - s) * 2),
        })),
        skipDuplicates: true,
      });
    }
    await seedSpace(tx, { cohortId: running.id, coachId: coach.id, mayaId: maya.id, others, now });
  });
  return true;
}

/** The running cohort's space: a pinned welcome, posts with comments and reactions, a shared answer. */
async function seedSpace(
  tx: Prisma.TransactionClient,
  ids: { cohortId: string; coachId: string; mayaId: string; others: string[]; now: Date },
) {
  const { cohortId, coachId, mayaId, others, now } = ids;
  const [nadia, tomas, amara] = others;
  const post = (authorId: string, body: string, daysBack: number, extra = {}) =>
    tx.cohortPost.create({
      data: { cohortId, authorId, body, createdAt: daysAgo(now, daysBack), ...extra },
      select: { id: true },
    });
  await post(
    coachId,
    "Welcome to the **Winter circle**. Each Monday a new module opens at midnight, London time. Post here whenever something moves you; there is no wrong answer.",
    16,
    { kind: "ANNOUNCEMENT", pinnedAt: daysAgo(now, 16) },
  );
  const first = await post(
    nadia!,
    "Drawing my circles was harder than I thought. The *Reconnect* column is longer than I would like.",
    12,
  );
  const second = await post(
    tomas!,
    "I called my brother after the reach-out step. First time in a year. We talked for an hour.",
    5,
  );
  // Maya shares her second answer to the first prompt, with a note.
  const pass = await tx.answerPass.findFirst({
    where: { userId: mayaId },
    orderBy: [{ exerciseId: "asc" }, { passNumber: "desc" }],
    select: {
      id: true,
      kind: true,
      passNumber: true,
      content: true,
      promptSnapshot: true,
      createdAt: true,
      programId: true,
    },
  });
  if (pass) {
    const share = await tx.share.create({
      data: {
        passId: pass.id,
        userId: mayaId,
        programId: pass.programId,
        audience: "COHORT",
        snapshot: snapshotOf(pass) as unknown as Prisma.InputJsonObject,
        createdAt: daysAgo(now, 2),
      },
    });
    await post(mayaId, "How my answer changed in three weeks.", 2, {
      kind: "SHARED_ANSWER",
      shareId: share.id,
    });
  }
  const comments = [
    { postId: first.id, authorId: amara!, body: "Same here. Mine surprised me too.", at: 11 },
    {
      postId: first.id,
      authorId: coachId,
      body: "Long is fine: it is a list of doors, not debts.",
      at: 11,
    },
    { postId: second.id, authorId: mayaId, body: "That is wonderful, Tomás.", at: 4 },
  ];
  for (const c of comments) {
    await tx.cohortComment.create({
      data: { postId: c.postId, authorId: c.authorId, body: c.body, createdAt: daysAgo(now, c.at) },
    });
    await tx.cohortPost.update({
      where: { id: c.postId },
      data: { commentCount: { increment: 1 } },
    });
  }
  await tx.cohortReaction.createMany({
    data: [
      { postId: first.id, userId: mayaId, kind: "SAME" },
      { postId: first.id, userId: tomas!, kind: "SAME" },
      { postId: second.id, userId: nadia!, kind: "HEART" },
      { postId: second.id, userId: coachId, kind: "HEART" },
      { postId: second.id, userId: amara!, kind: "THANKS" },
    ],
  });
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

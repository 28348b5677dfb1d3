import type { EmailTemplate } from "./render";

/**
 * Every email Kindred sends, with sample data: what `npm run email:preview` renders and what
 * the snapshot tests (tests/unit/email-templates.test.ts) keep. A new template or topic gets a
 * sample here, so both see it.
 */
const appUrl = "https://kindred.example";
const links = {
  preferences: `${appUrl}/email/preferences?t=p.sample.signature`,
  unsubscribe: `${appUrl}/api/email/unsubscribe?t=u.sample.reflection.signature`,
  category: "Reflection reminders",
};

export const EMAIL_SAMPLES: Record<string, EmailTemplate> = {
  "sign-in": {
    kind: "sign-in",
    url: `${appUrl}/signin/confirm?token=sample&email=maya%40example.org`,
    expiresInMinutes: 30,
    appUrl,
  },
  welcome: { kind: "welcome", name: "Maya", appUrl },
  "cohort-rescheduled": {
    kind: "cohort-rescheduled",
    name: "Maya",
    cohortName: "Winter circle",
    programTitle: "Community, on purpose",
    startsOn: "Monday 11 January 2027",
    cohortZone: "Europe/London",
    url: `${appUrl}/app/cohorts/winter-circle`,
    appUrl,
  },
  "cohort-seat": {
    kind: "cohort-seat",
    name: "Maya",
    cohortName: "Winter circle",
    programTitle: "Community, on purpose",
    url: `${appUrl}/app/cohorts/winter-circle`,
    appUrl,
  },
  "cohort-nudge": {
    kind: "cohort-nudge",
    name: "Maya",
    coachName: "Jonas",
    cohortName: "Winter circle",
    url: `${appUrl}/app/cohorts/winter-circle`,
    appUrl,
    links: { ...links, category: "Notes from your coach" },
  },
  "payment-failed": {
    kind: "payment-failed",
    name: "Amara",
    planName: "Membership, monthly",
    amount: "£12.00",
    accessUntil: "Tuesday 8 December 2026",
    nextAttempt: "Friday 4 December 2026",
    url: `${appUrl}/app/settings/billing`,
    appUrl,
  },
  "reflection-reminder": {
    kind: "reflection-reminder",
    name: "Maya",
    programTitle: "Community, on purpose",
    stepTitle: "Who is already around you",
    url: `${appUrl}/app/programs/community-on-purpose`,
    appUrl,
    links,
  },
  "daily-commitment": {
    kind: "daily-nudge",
    topic: "commitment",
    dueDay: "2 December 2026",
    name: "Maya",
    url: `${appUrl}/app/commitments`,
    appUrl,
    links: { ...links, category: "Commitment check-ins" },
  },
  "daily-reach-out": {
    kind: "daily-nudge",
    topic: "reach-out",
    name: "Maya",
    url: `${appUrl}/app/community`,
    appUrl,
    links: { ...links, category: "Reach-out reminders" },
  },
  "daily-answer-again": {
    kind: "daily-nudge",
    topic: "answer-again",
    prompt: "Who do you think of when you feel alone?",
    programTitle: "Community, on purpose",
    name: "Maya",
    url: `${appUrl}/app/journal/sample`,
    appUrl,
    links: { ...links, category: "Answer again" },
  },
  "daily-re-engagement": {
    kind: "daily-nudge",
    topic: "re-engagement",
    name: null,
    url: `${appUrl}/app`,
    appUrl,
    links: { ...links, category: "Notes after a quiet spell" },
  },
  "cohort-digest": {
    kind: "daily-nudge",
    topic: "digest",
    cohortName: "Winter circle",
    posts: 3,
    shared: 1,
    opened: ["Week 3: Reaching out"],
    name: "Maya",
    url: `${appUrl}/app/cohorts/winter-circle`,
    appUrl,
    links: { ...links, category: "Weekly group digest" },
  },
  "session-tomorrow": {
    kind: "daily-nudge",
    topic: "session",
    title: "Winter check-in",
    cohortName: "Winter circle",
    when: "21 Dec 2026, 15:25",
    soon: false,
    name: "Maya",
    url: `${appUrl}/app/cohorts/winter-circle`,
    appUrl,
    links: { ...links, category: "Live session reminders" },
  },
};

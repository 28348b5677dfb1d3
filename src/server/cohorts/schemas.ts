import { z } from "zod";
import { id, integer, isoDay, text } from "@/lib/input";
import { isTimeZone } from "@/lib/time-zone";
import { SLUG_PATTERN } from "../programs/schemas";

export const COHORT_LIMITS = { name: 120, slug: 80, capacity: 10_000, rosterPage: 50 };

export const cohortId = id("The cohort", { missing: "Missing cohort id." });

export const cohortIdInput = z.strictObject({ cohortId });

const name = text({
  label: "The name",
  min: 1,
  max: COHORT_LIMITS.name,
  messages: { missing: "Give the cohort a name.", min: "Give the cohort a name." },
});
const slug = text({ label: "The address", min: 1, max: COHORT_LIMITS.slug }).regex(
  SLUG_PATTERN,
  "Use lowercase letters, digits and single dashes, like spring-2027.",
);
const startDate = isoDay({ format: "Choose a start date." });
const timeZone = text({ label: "The time zone", min: 1, max: 64 }).refine(isTimeZone, {
  message: "Choose a time zone from the list.",
});
const capacity = integer({
  min: 1,
  max: COHORT_LIMITS.capacity,
  messages: {
    type: "Enter how many seats the cohort has.",
    min: "A cohort needs at least 1 seat.",
    max: `A cohort can have at most ${COHORT_LIMITS.capacity} seats.`,
  },
});

export const createCohortInput = z.strictObject({
  programId: id("The program", { missing: "Choose a program." }),
  name,
  /** Derived from the name when left out. */
  slug: slug.optional(),
  startDate,
  timeZone,
  capacity,
  enrolmentOpen: z.boolean({ error: "Say whether enrolment is open." }).default(true),
});

/** Omitted fields stay as they are. */
export const updateCohortInput = z.strictObject({
  cohortId,
  name: name.optional(),
  slug: slug.optional(),
  startDate: startDate.optional(),
  timeZone: timeZone.optional(),
  capacity: capacity.optional(),
  enrolmentOpen: z.boolean({ error: "Say whether enrolment is open." }).optional(),
});

export const rosterInput = z.strictObject({
  cohortId,
  page: integer({ min: 0, max: 10_000 }).default(0),
  sort: z
    .enum(["joined", "name", "lastActive", "progress"], { error: "Choose a sort order." })
    .optional(),
  filter: z.enum(["all", "drifting", "waitlisted"], { error: "Choose a filter." }).optional(),
});

/** A page (0 is the first) of a cohort's people. */
export const rosterPageInput = z.strictObject({
  cohortId,
  page: integer({ min: 0, max: 10_000 }).default(0),
});

export const memberActionInput = z.strictObject({
  cohortId,
  userId: id("The member", { missing: "Choose a member." }),
});

export const facilitatorInput = z.strictObject({
  cohortId,
  email: text({ label: "The email", min: 3, max: 254 }).regex(/^[^\s@]+@[^\s@]+$/, {
    message: "Enter the coach's email address.",
  }),
});

/** Invite tokens are 32 url-safe characters; anything else cannot be one. */
export const inviteTokenInput = z.strictObject({
  token: text({
    label: "The invite link",
    min: 1,
    max: 64,
    trim: false,
    messages: { missing: "This invite link is not valid." },
  }).regex(/^[A-Za-z0-9_-]{20,64}$/, "This invite link is not valid."),
});

export const cohortSlugInput = z.strictObject({
  slug: text({ label: "The address", min: 1, max: COHORT_LIMITS.slug }),
});

export const programCohortsInput = z.strictObject({
  programId: id("The program", { missing: "Missing program id." }),
});

// ─── The cohort space ─────────────────────────────────────────────────────────────────────

export const SPACE_LIMITS = { post: 5000, comment: 2000, reason: 500, note: 1000 };

const postId = id("The post", { missing: "Missing post id." });

/** "1733000000000_<post id>": where the previous page ended (its last post). */
const cursor = text({ label: "The page", min: 1, max: 90, trim: false }).regex(
  /^\d{1,15}_[A-Za-z0-9_-]{1,64}$/,
  "That page does not exist.",
);

export const feedInput = z.strictObject({ cohortId, cursor: cursor.optional() });

export const postInput = z.strictObject({
  cohortId,
  body: text({
    label: "Your post",
    min: 1,
    max: SPACE_LIMITS.post,
    multiline: true,
    messages: {
      missing: "Write something first.",
      min: "Write something first.",
      max: `A post can be at most ${SPACE_LIMITS.post} characters.`,
    },
  }),
  announcement: z.boolean({ error: "Say whether this is an announcement." }).default(false),
});

export const postIdInput = z.strictObject({ postId });

export const commentsPageInput = z.strictObject({
  postId,
  page: integer({ min: 0, max: 10_000 }).default(0),
});

export const commentInput = z.strictObject({
  postId,
  body: text({
    label: "Your comment",
    min: 1,
    max: SPACE_LIMITS.comment,
    multiline: true,
    messages: {
      missing: "Write a comment first.",
      min: "Write a comment first.",
      max: `A comment can be at most ${SPACE_LIMITS.comment} characters.`,
    },
  }),
});

export const commentIdInput = z.strictObject({
  commentId: id("The comment", { missing: "Missing comment id." }),
});

export const reactInput = z.strictObject({
  postId,
  kind: z.enum(["HEART", "THANKS", "SAME"], { error: "Choose a reaction." }),
});

export const reportInput = z.strictObject({
  postId,
  reason: text({
    label: "The reason",
    max: SPACE_LIMITS.reason,
    multiline: true,
    messages: { max: `Keep the reason to ${SPACE_LIMITS.reason} characters.` },
  }).default(""),
});

export const moderateInput = z.strictObject({
  postId,
  action: z.enum(["hide", "unhide", "pin", "unpin"], {
    error: "Choose hide, unhide, pin or unpin.",
  }),
});

export const shareAnswerInput = z.strictObject({
  cohortId,
  passId: id("The answer", { missing: "Choose an answer to share." }),
  note: text({
    label: "Your note",
    max: SPACE_LIMITS.note,
    multiline: true,
    messages: { max: `A note can be at most ${SPACE_LIMITS.note} characters.` },
  }).default(""),
  consent: z.literal(true, {
    error: "Tick the box to confirm the cohort may read this answer.",
  }),
});

// ─── Live sessions ────────────────────────────────────────────────────────────────────────

const sessionFields = {
  title: text({
    label: "The title",
    min: 1,
    max: 120,
    messages: { missing: "Give the session a title.", min: "Give the session a title." },
  }),
  date: isoDay({ format: "Choose a date." }),
  time: text({ label: "The time", min: 1, max: 5, trim: false }).regex(
    /^([01]\d|2[0-3]):[0-5]\d$/,
    "Choose a time, like 19:00.",
  ),
  durationMinutes: integer({
    min: 5,
    max: 600,
    messages: {
      type: "Enter the length in minutes.",
      min: "A session lasts at least 5 minutes.",
      max: "A session can last at most 600 minutes (10 hours).",
    },
  }),
  joinUrl: text({ label: "The join link", min: 1, max: 500 }).refine(
    (value) => {
      try {
        return new URL(value).protocol === "https:";
      } catch {
        return false;
      }
    },
    { message: "Paste the meeting's https:// link." },
  ),
};

export const addSessionInput = z.strictObject({ cohortId, ...sessionFields });

export const sessionIdInput = z.strictObject({
  sessionId: id("The session", { missing: "Missing session id." }),
});

export const updateSessionInput = z.strictObject({
  sessionId: sessionIdInput.shape.sessionId,
  ...sessionFields,
});

/** Making a new calendar address stops the old one: the caller says they mean it. */
export const resetCalendarInput = z.strictObject({
  confirm: z.literal(true, { error: "Confirm that the old calendar address will stop working." }),
});

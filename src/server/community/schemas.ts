import { z } from "zod";
import { id, integer, isoDay, text } from "@/lib/input";

/** A calendar day as forms send it ("2026-12-31"), read in the member's time zone. */
export const dayInput = isoDay();

export const idInput = id("The item", { missing: "Missing id." });

/**
 * An id the browser makes once per press of a button that records something, and sends again
 * with every retry of that press: a retry whose first try was recorded gets that row back
 * instead of recording it twice.
 */
export const requestIdInput = z
  .uuid({ error: "The request id is not valid; reload the page." })
  .optional();

/** Long lists come a page at a time (0 is the first page); unknown keys are refused. */
export const pageInput = z
  .strictObject({ page: integer({ min: 0, max: 10_000 }).default(0) })
  .default({ page: 0 });

const name = text({
  label: "The name",
  min: 1,
  max: 100,
  messages: { missing: "Enter a name.", min: "Enter a name." },
});
const circle = text({
  label: "The circle",
  min: 1,
  max: 40,
  messages: { missing: "Enter a circle.", min: "Enter a circle, for example Friends or Work." },
});
const status = z.enum(["KEEP", "RECONNECT", "MOVE_ON"], {
  error: "Choose keep, reconnect or move on.",
});
const why = text({
  label: "The why",
  max: 2000,
  multiline: true,
  messages: { max: "Keep the why to 2000 characters or fewer." },
});
export const note = text({
  label: "The note",
  max: 2000,
  multiline: true,
  messages: { max: "A note can be at most 2000 characters." },
});

export const addPersonInput = z.object({
  name,
  circle,
  status: status.default("KEEP"),
  why: why.default(""),
  lastContactAt: dayInput.nullish(),
  plannedReachOutAt: dayInput.nullish(),
  requestId: requestIdInput,
});

/** Omitted fields stay as they are; null clears an optional date. */
export const updatePersonInput = z.object({
  id: idInput,
  name: name.optional(),
  circle: circle.optional(),
  status: status.optional(),
  why: why.optional(),
  lastContactAt: dayInput.nullish(),
  plannedReachOutAt: dayInput.nullish(),
});

export const personIdInput = z.object({ personId: idInput });
export const removePersonInput = z.object({ id: idInput });

export const logReachOutInput = z.object({
  personId: idInput,
  note: note.default(""),
  at: dayInput.optional(),
  requestId: requestIdInput,
});

import { z } from "zod";

/** A calendar day as forms send it ("2026-12-31"), read in the member's time zone. */
export const dayInput = z
  .string({ error: "Use a date like 2026-12-31." })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-12-31.")
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
  }, "That date does not exist.");

export const idInput = z.string({ error: "Missing id." }).min(1, "Missing id.").max(64);

const name = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(100, "A name can be at most 100 characters.");
const circle = z
  .string({ error: "Enter a circle." })
  .trim()
  .min(1, "Enter a circle, for example Friends or Work.")
  .max(40, "A circle can be at most 40 characters.");
const status = z.enum(["KEEP", "RECONNECT", "MOVE_ON"], {
  error: "Choose keep, reconnect or move on.",
});
const why = z.string().trim().max(2000, "Keep the why to 2000 characters or fewer.");
export const note = z.string().trim().max(2000, "A note can be at most 2000 characters.");

export const addPersonInput = z.object({
  name,
  circle,
  status: status.default("KEEP"),
  why: why.default(""),
  lastContactAt: dayInput.nullish(),
  plannedReachOutAt: dayInput.nullish(),
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
});

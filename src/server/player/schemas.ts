import { z } from "zod";
import { draftContent } from "../programs/exercise-kinds";

const id = (what: string) =>
  z
    .string({ error: `${what} is missing.` })
    .min(1, `${what} is missing.`)
    .max(64, `${what} is too long.`);

export const slugInput = z.object({
  slug: z.string().trim().min(1, "Which program?").max(120, "That program address is too long."),
});
export const programIdInput = z.object({ programId: id("The program") });
export const stepIdInput = z.object({ stepId: id("The step") });
export const exerciseIdInput = z.object({ exerciseId: id("The exercise") });

export const saveDraftInput = z.object({
  exerciseId: id("The exercise"),
  content: draftContent,
  /** The version the client last saw; 0 when it has never seen a stored draft. */
  baseVersion: z
    .number()
    .int("The draft version must be a whole number.")
    .min(0, "The draft version cannot be negative."),
});

/** The answer is checked against its exercise's kind in the service (contentSchemas[kind]). */
export const submitInput = z.object({
  exerciseId: id("The exercise"),
  content: z.record(z.string(), z.unknown(), { error: "The answer is missing." }),
});

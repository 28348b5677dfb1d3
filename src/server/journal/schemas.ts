import { z } from "zod";
import { id as idSchema, integer, isoDay, text } from "@/lib/input";

const id = (what: string) =>
  idSchema(`The ${what}`, {
    missing: `Choose a ${what}.`,
    invalid: `That ${what} id is not valid.`,
  });

const day = (what: string) =>
  isoDay({
    format: `The ${what} date must look like 2026-12-31.`,
    exists: `The ${what} date does not exist.`,
  });

export const listInput = z
  .object({
    programId: id("program").optional(),
    exerciseId: id("prompt").optional(),
    lens: text({
      label: "The lens",
      min: 1,
      max: 40,
      messages: { max: "A lens name is at most 40 characters." },
    }).optional(),
    from: day("from").optional(),
    to: day("to").optional(),
    /** Offset of the next page of prompts (opaque to clients). */
    cursor: text({ label: "The page", max: 6, trim: false })
      .regex(/^\d{1,6}$/, "Invalid page.")
      .optional(),
    limit: integer({ min: 1, max: 50 }).default(20),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, {
    message: "The from date must be on or before the to date.",
    path: ["to"],
  });

export const exerciseInput = z.object({ exerciseId: id("prompt") });

export const compareInput = z.object({ passIdA: id("pass"), passIdB: id("pass") });

/** `/api/export/journal?format=`: JSON (complete) unless Markdown is asked for. */
export const exportFormat = z
  .enum(["json", "md"], { error: "Choose format=json or format=md." })
  .default("json");

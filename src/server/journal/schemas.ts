import { z } from "zod";

const id = (what: string) =>
  z
    .string({ error: `Choose ${what}.` })
    .trim()
    .min(1, `Choose ${what}.`)
    .max(64, `That ${what} id is not valid.`);

const day = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `The ${what} date must look like 2026-12-31.`)
    .refine((v) => {
      const d = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
    }, `The ${what} date does not exist.`);

export const listInput = z
  .object({
    programId: id("a program").optional(),
    exerciseId: id("a prompt").optional(),
    lens: z.string().trim().min(1).max(40, "A lens name is at most 40 characters.").optional(),
    from: day("from").optional(),
    to: day("to").optional(),
    /** Offset of the next page of prompts (opaque to clients). */
    cursor: z
      .string()
      .regex(/^\d{1,6}$/, "Invalid page.")
      .optional(),
    limit: z.number().int().min(1).max(50).default(20),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, {
    message: "The from date must be on or before the to date.",
    path: ["to"],
  });

export const exerciseInput = z.object({ exerciseId: id("a prompt") });

export const compareInput = z.object({ passIdA: id("a pass"), passIdB: id("a pass") });

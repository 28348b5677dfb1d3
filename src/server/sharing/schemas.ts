import { z } from "zod";
import { id as idSchema } from "@/lib/input";

/** `what` with its article: "an answer". */
const id = (what: string) =>
  idSchema(`The ${what.replace(/^an? /, "")}`, {
    missing: `Choose ${what}.`,
    invalid: `That ${what.replace(/^an? /, "")} id is not valid.`,
  });

export const shareInput = z.object({
  passId: id("an answer"),
  // Sharing with a cohort arrives with the cohorts issue; until then only the program's coach.
  audience: z.literal("COACH", {
    error: "For now you can share an answer with your coach only; cohorts come later.",
  }),
});

export const shareIdInput = z.object({ shareId: id("a shared answer") });

export const programIdInput = z.object({ programId: id("a program") });

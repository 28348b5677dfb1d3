import { z } from "zod";
import { id, integer, jsonObject, text } from "@/lib/input";
import { draftContent } from "../programs/exercise-kinds";

export const slugInput = z.object({
  slug: text({
    label: "The program address",
    min: 1,
    max: 120,
    messages: { min: "Which program?", max: "That program address is too long." },
  }),
});
export const programIdInput = z.object({ programId: id("The program") });
export const stepIdInput = z.object({ stepId: id("The step") });
export const exerciseIdInput = z.object({ exerciseId: id("The exercise") });

export const saveDraftInput = z.object({
  exerciseId: id("The exercise"),
  content: draftContent,
  /** The version the client last saw; 0 when it has never seen a stored draft. */
  baseVersion: integer({
    min: 0,
    messages: {
      type: "The draft version must be a number.",
      whole: "The draft version must be a whole number.",
      min: "The draft version cannot be negative.",
      max: "The draft version is not valid.",
    },
  }),
  /**
   * The editor sending it: an id the player page makes once when it opens, and that page's
   * count of saves (1, 2, …). Lets a save after lost acknowledgements be told from another
   * tab's (see saveDraft).
   */
  writer: z
    .object({
      id: z.uuid({ error: "The editor id is not valid; reload the page." }),
      seq: integer({
        min: 1,
        messages: {
          type: "The save count must be a number.",
          whole: "The save count must be a whole number.",
          min: "The save count must be at least 1.",
          max: "The save count is not valid.",
        },
      }),
    })
    .optional(),
});

/** The answer is checked against its exercise's kind in the service (contentSchemas[kind]). */
export const submitInput = z.object({
  exerciseId: id("The exercise"),
  content: jsonObject("The answer"),
  /**
   * Made by the browser once per submit and sent again with every retry of it: a retry whose
   * first try was recorded gets that pass back (unique per member; see submitAnswer).
   */
  submissionId: z.uuid({ error: "The submission id is not valid; reload the page." }).optional(),
});

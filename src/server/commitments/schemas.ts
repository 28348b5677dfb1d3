import { z } from "zod";
import { text as textSchema } from "@/lib/input";
import { dayInput, idInput, note, requestIdInput } from "../community/schemas";

const text = textSchema({
  label: "The commitment",
  min: 1,
  max: 1000,
  multiline: true,
  messages: {
    missing: "Write the commitment.",
    type: "Write the commitment.",
    min: "Write the commitment.",
    max: "A commitment can be at most 1000 characters.",
  },
});

export const createCommitmentInput = z.object({ text, dueOn: dayInput });

export const checkInInput = z
  .object({
    id: idInput,
    outcome: z.enum(["DONE", "NOT_YET", "CHANGED"], {
      error: "Choose done, not yet or changed.",
    }),
    note: note.default(""),
    newDueOn: dayInput.optional(),
    newText: text.optional(),
    requestId: requestIdInput,
  })
  .superRefine((v, ctx) => {
    if (v.outcome === "DONE" && v.newDueOn) {
      ctx.addIssue({
        code: "custom",
        path: ["newDueOn"],
        message: "A done commitment needs no new date.",
      });
    }
    if (v.outcome !== "CHANGED" && v.newText !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["newText"],
        message: "Choose “changed” to reword the commitment.",
      });
    }
  });

export const commitmentIdInput = z.object({ id: idInput });

import { z } from "zod";
import { idInput, note } from "../community/schemas";

export const tickInput = z.object({
  exerciseId: idInput,
  practiceKey: z
    .string({ error: "Choose a practice." })
    .regex(/^[a-z0-9-]{1,40}$/, "Choose one of the listed practices."),
  note: note.default(""),
});

export const untickInput = z.object({ tickId: idInput });

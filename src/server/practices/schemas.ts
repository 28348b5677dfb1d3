import { z } from "zod";
import { text } from "@/lib/input";
import { idInput, note, requestIdInput } from "../community/schemas";

export const tickInput = z.object({
  exerciseId: idInput,
  practiceKey: text({
    label: "The practice",
    max: 40,
    trim: false,
    messages: { missing: "Choose a practice.", type: "Choose a practice." },
  }).regex(/^[a-z0-9-]{1,40}$/, "Choose one of the listed practices."),
  note: note.default(""),
  requestId: requestIdInput,
});

export const untickInput = z.object({ tickId: idInput });

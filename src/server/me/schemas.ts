import { z } from "zod";
import { isTimeZone } from "@/lib/time-zone";

export const NAME_MAX = 80;

export const updateProfileInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Enter your name.")
    .max(NAME_MAX, `Your name can be at most ${NAME_MAX} characters.`),
  timeZone: z
    .string()
    .refine(isTimeZone, "Choose a time zone from the list (for example Europe/Berlin)."),
});

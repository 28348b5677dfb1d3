import { z } from "zod";
import { text } from "@/lib/input";
import { isTimeZone } from "@/lib/time-zone";

export const NAME_MAX = 80;

export const updateProfileInput = z.object({
  name: text({
    label: "Your name",
    min: 1,
    max: NAME_MAX,
    messages: { min: "Enter your name.", max: `Your name can be at most ${NAME_MAX} characters.` },
  }),
  timeZone: text({ label: "The time zone", max: 64, trim: false }).refine(
    isTimeZone,
    "Choose a time zone from the list (for example Europe/Berlin).",
  ),
});

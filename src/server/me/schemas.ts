import { z } from "zod";
import { text } from "@/lib/input";
import { isTimeZone } from "@/lib/time-zone";
import { COVER_PATTERN } from "../programs/schemas";

export const NAME_MAX = 80;
export const BIO_MAX = 300;

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
  /** Left out: unchanged. */
  bio: text({
    label: "Your bio",
    max: BIO_MAX,
    multiline: true,
    messages: { max: `Keep your bio to ${BIO_MAX} characters.` },
  }).optional(),
  /** Left out: unchanged; null: no avatar. Only our own uploads. */
  image: text({ label: "The picture", max: 100, trim: false })
    .regex(COVER_PATTERN, "Upload the picture again.")
    .nullable()
    .optional(),
});

/** Ending sessions: on every other device, or everywhere including this one. */
export const signOutEverywhereInput = z.strictObject({
  keepThisDevice: z.boolean({ error: "Say whether this device stays signed in." }),
});

/** A new sign-in address, confirmed by a link sent to it. */
export const requestEmailChangeInput = z.strictObject({
  newEmail: text({
    label: "The new email address",
    min: 1,
    max: 254,
    messages: {
      missing: "Enter your new email address.",
      min: "Enter your new email address.",
      max: "An email address is at most 254 characters.",
    },
  }).pipe(z.email("Enter a valid email address, like name@example.com.")),
});

/** Withdrawing a change that waits for its link; says so explicitly (mutations take input). */
export const cancelEmailChangeInput = z.strictObject({
  cancel: z.literal(true, { error: "Say that the change should be withdrawn." }),
});

/** The link from the email to the new address. */
export const confirmEmailChangeInput = z.strictObject({
  token: text({ label: "The confirmation link", min: 1, max: 200, trim: false }).regex(
    /^[A-Za-z0-9_-]+$/,
    "This confirmation link is not valid.",
  ),
});

import { z } from "zod";
import { text } from "@/lib/input";
import { safeReturnPath } from "@/lib/return-path";

export const emailAddress = text({
  label: "The email address",
  min: 1,
  max: 254,
  messages: {
    missing: "Enter your email address.",
    min: "Enter your email address.",
    max: "An email address is at most 254 characters.",
  },
}).pipe(z.email("Enter a valid email address, like name@example.com."));

export const requestLinkInput = z.object({
  email: emailAddress,
  // Where to land after signing in: a path of this site only (see safeReturnPath), normalised.
  callbackUrl: text({ label: "The return address", max: 500, trim: false })
    .transform((value, ctx) => {
      const path = safeReturnPath(value);
      if (path === null) ctx.addIssue({ code: "custom", message: "must be a path on this site" });
      return path ?? z.NEVER;
    })
    .optional(),
});

/** What the confirm page asks about a link: its token (hex) and the address it was sent to. */
export const linkStateInput = z.object({
  token: text({ label: "The sign-in link", min: 1, max: 200, trim: false }).regex(
    /^[A-Za-z0-9_-]+$/,
    "This sign-in link is not valid.",
  ),
  email: text({ label: "The email address", min: 1, max: 254, trim: false }),
});

import { z } from "zod";
import { safeReturnPath } from "@/lib/return-path";

export const emailAddress = z
  .string()
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "An email address is at most 254 characters.")
  .pipe(z.email("Enter a valid email address, like name@example.com."));

export const requestLinkInput = z.object({
  email: emailAddress,
  // Where to land after signing in: a path of this site only (see safeReturnPath), normalised.
  callbackUrl: z
    .string()
    .max(500, "must be a path on this site")
    .transform((value, ctx) => {
      const path = safeReturnPath(value);
      if (path === null) ctx.addIssue({ code: "custom", message: "must be a path on this site" });
      return path ?? z.NEVER;
    })
    .optional(),
});

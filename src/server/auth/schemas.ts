import { z } from "zod";

export const emailAddress = z
  .string()
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "An email address is at most 254 characters.")
  .pipe(z.email("Enter a valid email address, like name@example.com."));

export const requestLinkInput = z.object({
  email: emailAddress,
  callbackUrl: z
    .string()
    .max(500)
    .regex(/^\/(?!\/)/, "must be a path on this site")
    .optional(),
});

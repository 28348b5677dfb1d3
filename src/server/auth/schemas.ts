import { z } from "zod";
import { text } from "@/lib/input";

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
  callbackUrl: text({ label: "The return address", max: 500, trim: false })
    .regex(/^\/(?!\/)/, "must be a path on this site")
    .optional(),
});

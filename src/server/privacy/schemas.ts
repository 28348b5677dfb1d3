import { z } from "zod";

/**
 * Asking for an export says what it is of (mutations take input, so one sent by mistake with
 * nothing in it is refused at the boundary). Only the whole account, for now.
 */
export const requestExportInput = z.strictObject({
  scope: z.literal("everything", { error: "Only the whole account can be exported." }),
});

import { z } from "zod";
import { id, integer, text } from "@/lib/input";

export const listUsersInput = z.object({
  query: text({ label: "The search", max: 200 }).optional(),
  role: z
    .enum(["MEMBER", "COACH", "ADMIN"], { error: "Choose member, coach or admin." })
    .optional(),
  status: z.enum(["active", "deactivated"], { error: "Choose active or deactivated." }).optional(),
  limit: integer({ min: 1, max: 100 }).default(50),
  cursor: id("The page").optional(),
});

export const setRoleInput = z.object({
  userId: id("The user"),
  role: z.enum(["MEMBER", "COACH", "ADMIN"], { error: "Choose member, coach or admin." }),
});

export const userIdInput = z.object({ userId: id("The user") });

/** The audit log's pages; the cursor is an entry's id. */
export const auditInput = z.object({
  limit: integer({ min: 1, max: 100 }).default(50),
  area: z
    .enum(["users", "programs", "cohorts", "billing", "emails"], {
      error: "Choose users, programs, cohorts, billing or emails.",
    })
    .optional(),
  cursor: id("The page").optional(),
});

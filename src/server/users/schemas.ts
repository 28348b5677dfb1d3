import { z } from "zod";

export const listUsersInput = z.object({
  query: z.string().trim().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  cursor: z.string().optional(),
});

export const setRoleInput = z.object({
  userId: z.string().min(1),
  role: z.enum(["MEMBER", "COACH", "ADMIN"], { error: "Choose member, coach or admin." }),
});

export const userIdInput = z.object({ userId: z.string().min(1) });

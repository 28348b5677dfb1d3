import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { id, text } from "@/lib/input";
import { getOutboxMessage, listOutbox, outboxMessageForEmail } from "../email/outbox";
import { publicProcedure, router } from "../trpc/init";

/**
 * The demo outbox: what the built-in Resend emulator received. Readable by anyone on a demo
 * deployment (so a newcomer can click their sign-in link) and by admins everywhere.
 */
const mailboxProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.env.demo || ctx.session?.user.role === "ADMIN") return next();
  throw new TRPCError({
    code: ctx.session ? "FORBIDDEN" : "UNAUTHORIZED",
    message: "The mailbox is for admins.",
  });
});

export const mailboxRouter = router({
  list: mailboxProcedure
    .input(z.object({ to: text({ label: "The address", max: 254 }).optional() }))
    .query(({ ctx, input }) => listOutbox(ctx.db, { to: input.to || undefined, limit: 50 })),
  get: mailboxProcedure.input(z.object({ id: id("The email") })).query(async ({ ctx, input }) => {
    const message = await getOutboxMessage(ctx.db, input.id);
    if (!message) throw new TRPCError({ code: "NOT_FOUND", message: "No such email." });
    return message;
  }),
  /** Where one queued email (by its id, as auth.requestLink gives it on a demo) ended up. */
  delivery: mailboxProcedure
    .input(z.object({ emailId: id("The email") }))
    .query(({ ctx, input }) => outboxMessageForEmail(ctx.db, input.emailId)),
});

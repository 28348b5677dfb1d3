import { adminProcedure } from "../trpc/init";
import { checkHealth } from "./service";

/** Database latency, the job queue and the deployment mode, for the admin health page. */
export const adminHealthProcedure = adminProcedure.query(({ ctx }) => checkHealth(ctx.db, ctx.env));

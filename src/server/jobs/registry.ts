import { z } from "zod";
import { syncCustomerEmailJob } from "../billing/customer-email";
import { billingEventJob, sweepBillingEventsJob } from "../billing/webhook";
import { cohortRescheduledJob, cohortSeatedJob } from "../cohorts/notify";
import { sendEmailJob, sweepEmailsJob } from "../email/jobs";
import { cohortDigestJob } from "../nudges/digest";
import { dailyNudgeJob, planRemindersJob } from "../nudges/reminders";
import { sessionRemindersJob } from "../nudges/sessions";
import { accountExportJob } from "../privacy/export";
import { retentionJob } from "../privacy/retention";
import { pruneRateLimitHits } from "../rate-limit";
import { defineJob, type JobDefinition } from "./define";

const pruneRateLimitsJob = defineJob({
  name: "maintenance.prune-rate-limits",
  payload: z.object({}),
  cron: { expression: "*/15 * * * *", payload: {} },
  async handler(_payload, { db }) {
    await pruneRateLimitHits(db);
  },
});

/** Every job the worker runs. */
export const JOBS: readonly JobDefinition[] = [
  sendEmailJob,
  sweepEmailsJob,
  pruneRateLimitsJob,
  cohortRescheduledJob,
  cohortSeatedJob,
  billingEventJob,
  sweepBillingEventsJob,
  syncCustomerEmailJob,
  planRemindersJob,
  dailyNudgeJob,
  sessionRemindersJob,
  cohortDigestJob,
  retentionJob,
  accountExportJob,
] as unknown as JobDefinition[];

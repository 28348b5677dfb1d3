import type { JobDefinition } from "@/server/jobs/define";
import { JOBS } from "@/server/jobs/registry";
import { probeJob } from "./probe-job";

/**
 * Preloaded into the test's workers (`node --import tsx --import ./tests/instances/register-probe.ts
 * scripts/worker.ts`): adds the probe job to the registry the unchanged worker script reads, so
 * the workers are the production ones plus one job that records its runs.
 */
(JOBS as JobDefinition[]).push(probeJob as unknown as JobDefinition);

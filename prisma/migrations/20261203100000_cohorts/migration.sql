-- Cohorts: scheduled runs of a program, their facilitators and members (with a waitlist), and
-- the enrolment's link to the cohort that paces it.
CREATE TYPE "CohortMemberStatus" AS ENUM ('ACTIVE', 'WAITLISTED', 'LEFT', 'REMOVED');

CREATE TABLE "Cohort" (
    "id" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "startDate" DATE NOT NULL,
    "timeZone" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "enrolmentOpen" BOOLEAN NOT NULL DEFAULT true,
    "inviteToken" TEXT,
    "scheduleVersion" INTEGER NOT NULL DEFAULT 1,
    "finishedAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Cohort_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "CohortFacilitator" (
    "cohortId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CohortFacilitator_pkey" PRIMARY KEY ("cohortId","userId")
);

CREATE TABLE "CohortMember" (
    "id" TEXT NOT NULL,
    "cohortId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "status" "CohortMemberStatus" NOT NULL,
    "queuePosition" INTEGER NOT NULL,
    "joinedAt" TIMESTAMP(3),
    "leftAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CohortMember_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "Enrolment" ADD COLUMN "cohortId" TEXT;

CREATE UNIQUE INDEX "Cohort_slug_key" ON "Cohort"("slug");
CREATE UNIQUE INDEX "Cohort_inviteToken_key" ON "Cohort"("inviteToken");
CREATE INDEX "Cohort_programId_startDate_idx" ON "Cohort"("programId", "startDate");
CREATE INDEX "Cohort_createdById_idx" ON "Cohort"("createdById");
CREATE INDEX "CohortFacilitator_userId_idx" ON "CohortFacilitator"("userId");
CREATE UNIQUE INDEX "CohortMember_cohortId_userId_key" ON "CohortMember"("cohortId", "userId");
CREATE INDEX "CohortMember_cohortId_status_queuePosition_idx" ON "CohortMember"("cohortId", "status", "queuePosition");
CREATE INDEX "CohortMember_userId_idx" ON "CohortMember"("userId");
CREATE INDEX "Enrolment_cohortId_idx" ON "Enrolment"("cohortId");

ALTER TABLE "Cohort" ADD CONSTRAINT "Cohort_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Cohort" ADD CONSTRAINT "Cohort_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "CohortFacilitator" ADD CONSTRAINT "CohortFacilitator_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CohortFacilitator" ADD CONSTRAINT "CohortFacilitator_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CohortMember" ADD CONSTRAINT "CohortMember_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CohortMember" ADD CONSTRAINT "CohortMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Enrolment" ADD CONSTRAINT "Enrolment_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort"("id") ON DELETE SET NULL ON UPDATE CASCADE;

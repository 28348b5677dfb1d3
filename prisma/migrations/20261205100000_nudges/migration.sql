-- Email nudges (issue 10): each member's preferences and next reminder instant, the one-nudge-
-- a-day ledger, and suppressed addresses.
CREATE TABLE "NudgeSettings" (
    "userId" TEXT NOT NULL,
    "categories" JSONB NOT NULL DEFAULT '{}',
    "reminderMinute" INTEGER NOT NULL DEFAULT 1140,
    "reminderDays" INTEGER[] DEFAULT ARRAY[1, 2, 3, 4, 5, 6, 7]::INTEGER[],
    "quietStart" INTEGER,
    "quietEnd" INTEGER,
    "quietUntil" DATE,
    "nextReminderAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NudgeSettings_pkey" PRIMARY KEY ("userId")
);

CREATE INDEX "NudgeSettings_nextReminderAt_idx" ON "NudgeSettings"("nextReminderAt");

ALTER TABLE "NudgeSettings" ADD CONSTRAINT "NudgeSettings_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "NudgeDay" (
    "userId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "category" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NudgeDay_pkey" PRIMARY KEY ("userId","day")
);

ALTER TABLE "NudgeDay" ADD CONSTRAINT "NudgeDay_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "EmailSuppression" (
    "address" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailSuppression_pkey" PRIMARY KEY ("address")
);

-- A nudge held past the member's quiet hours is stored at once and sent after this instant.
ALTER TABLE "Email" ADD COLUMN "sendAfter" TIMESTAMP(3);

-- Batched delivery: the batch an email was claimed into, and the shared pace towards Resend.
ALTER TABLE "Email" ADD COLUMN "batchKey" TEXT;
CREATE INDEX "Email_batchKey_idx" ON "Email"("batchKey");

CREATE TABLE "EmailRate" (
    "id" TEXT NOT NULL,
    "nextAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EmailRate_pkey" PRIMARY KEY ("id")
);

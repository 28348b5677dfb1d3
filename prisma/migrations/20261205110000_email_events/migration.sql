-- Resend's webhooks (issue 10): what each email became, and each delivery stored once.
ALTER TABLE "Email" ADD COLUMN "deliveredAt" TIMESTAMP(3),
ADD COLUMN "openedAt" TIMESTAMP(3),
ADD COLUMN "bouncedAt" TIMESTAMP(3),
ADD COLUMN "complainedAt" TIMESTAMP(3);

CREATE INDEX "Email_providerId_idx" ON "Email"("providerId");
CREATE INDEX "Email_category_createdAt_idx" ON "Email"("category", "createdAt");

CREATE TABLE "EmailEvent" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "providerId" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailEvent_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "EmailEvent_receivedAt_idx" ON "EmailEvent"("receivedAt");

-- Live-session reminders (a day and an hour before) look sessions up by start, across cohorts.
CREATE INDEX "LiveSession_startsAt_idx" ON "LiveSession"("startsAt");

-- The built-in Stripe emulator's state (demo deployments and tests only).
CREATE TABLE "StripeEmuObject" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "customer" TEXT,
    "dueAt" TIMESTAMP(3),
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StripeEmuObject_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "StripeEmuObject_seq_key" ON "StripeEmuObject"("seq");
CREATE INDEX "StripeEmuObject_type_seq_idx" ON "StripeEmuObject"("type", "seq");
CREATE INDEX "StripeEmuObject_type_customer_seq_idx" ON "StripeEmuObject"("type", "customer", "seq");
CREATE INDEX "StripeEmuObject_type_dueAt_idx" ON "StripeEmuObject"("type", "dueAt");

CREATE TABLE "StripeEmuIdempotency" (
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "status" INTEGER,
    "response" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StripeEmuIdempotency_pkey" PRIMARY KEY ("key")
);

CREATE INDEX "StripeEmuIdempotency_createdAt_idx" ON "StripeEmuIdempotency"("createdAt");

CREATE TABLE "StripeEmuDelivery" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),
    "lastStatus" INTEGER,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StripeEmuDelivery_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "StripeEmuDelivery_nextAttemptAt_idx" ON "StripeEmuDelivery"("nextAttemptAt");
CREATE INDEX "StripeEmuDelivery_eventId_idx" ON "StripeEmuDelivery"("eventId");

CREATE TABLE "StripeEmuClock" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "offsetSeconds" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "StripeEmuClock_pkey" PRIMARY KEY ("id")
);

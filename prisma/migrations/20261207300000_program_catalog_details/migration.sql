-- The catalog's order (coach or admin controlled, lower first, ties newest first) and the
-- minutes a member should plan per step.
ALTER TABLE "Program" ADD COLUMN "catalogPosition" INTEGER NOT NULL DEFAULT 100;
ALTER TABLE "Program" ADD COLUMN "minutesPerStep" INTEGER NOT NULL DEFAULT 10;

CREATE INDEX "Program_catalogPosition_publishedAt_idx" ON "Program"("catalogPosition", "publishedAt");

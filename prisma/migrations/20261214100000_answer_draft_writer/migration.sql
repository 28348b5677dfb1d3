-- Which editor (one open page of the player) wrote a draft's current version, and that
-- editor's count of saves. A save whose acknowledgement was lost in an outage (committed, but
-- the answer never reached the browser) leaves the browser one or more versions behind its own
-- writes; the next save from the same editor is then recognised as a continuation, not as a
-- conflict with another tab. Nullable, no default: adding them only touches the catalog.
ALTER TABLE "AnswerDraft" ADD COLUMN "writerId" TEXT;
ALTER TABLE "AnswerDraft" ADD COLUMN "writerSeq" INTEGER;

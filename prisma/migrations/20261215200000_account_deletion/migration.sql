-- Deleting an account is confirmed by a link emailed to the member (issue 12, part 3): the
-- request waits here, one per member, with only a hash of the link's token. It goes with the
-- account (cascade), and the retention job drops it once its link has expired.
CREATE TABLE "AccountDeletion" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccountDeletion_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "AccountDeletion_userId_key" ON "AccountDeletion"("userId");

CREATE UNIQUE INDEX "AccountDeletion_tokenHash_key" ON "AccountDeletion"("tokenHash");

CREATE INDEX "AccountDeletion_expires_idx" ON "AccountDeletion"("expires");

ALTER TABLE "AccountDeletion" ADD CONSTRAINT "AccountDeletion_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

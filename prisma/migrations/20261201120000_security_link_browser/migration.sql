-- Sign-in links remember (a hash of) the browser that requested them, so that a link opened in
-- another browser says which account it signs into and asks before signing in (login CSRF).
-- Nullable: links issued before this migration, or outside a browser, simply always ask.
ALTER TABLE "VerificationToken" ADD COLUMN "browserHash" TEXT;

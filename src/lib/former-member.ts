/**
 * The one stand-in user that keeps what other people need after an account is deleted (cohort
 * posts and comments, programs, receipts): a fixed id, created on first use by
 * src/server/account/delete.ts. `.invalid` is reserved (RFC 2606): no mail reaches it, and the
 * account is deactivated, so nobody can sign in as it.
 */
export const FORMER_MEMBER_ID = "former-member";
export const FORMER_MEMBER_NAME = "A former member";
export const FORMER_MEMBER_EMAIL = "former-member@kindred.invalid";

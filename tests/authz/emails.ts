// The admin's email console: the log, its numbers, suppressions (admins only).
// Matrix: tests/integration/email-events.test.ts
export const covered = [
  "admin.emails.list",
  "admin.emails.stats",
  "admin.emails.suppressions",
  "admin.emails.unsuppress",
];

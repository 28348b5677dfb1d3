// Deleting one's own account: every step signed in, each member only their own; the emailed
// link works only for the account it was sent to. (admin.users.deleteAccount is in the admin
// users matrix, tests/integration/authorization.test.ts.)
// Matrix: tests/integration/account-authz.test.ts
export const covered = [
  "account.deletionState",
  "account.requestDeletion",
  "account.cancelDeletion",
  "account.deletionLink",
  "account.confirmDeletion",
];

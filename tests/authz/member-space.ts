// The member's own space: community map, commitments, practices and the "today" dashboard.
// Matrix: tests/integration/member-space-authz.test.ts
export const covered = [
  "community.list",
  "community.circles",
  "community.add",
  "community.update",
  "community.remove",
  "community.logReachOut",
  "community.history",
  "commitments.list",
  "commitments.create",
  "commitments.checkIn",
  "commitments.history",
  "practices.list",
  "practices.tick",
  "practices.untick",
  "dashboard.today",
];

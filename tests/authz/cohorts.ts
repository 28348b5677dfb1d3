// Cohorts: coaches running scheduled runs of a program; members joining, waiting, leaving.
// Matrix: tests/integration/cohorts-authz.test.ts
export const covered = [
  "cohorts.list",
  "cohorts.create",
  "cohorts.update",
  "cohorts.close",
  "cohorts.manage",
  "cohorts.roster",
  "cohorts.createInvite",
  "cohorts.revokeInvite",
  "cohorts.addFacilitator",
  "cohorts.removeFacilitator",
  "cohorts.removeMember",
  "cohorts.mine",
  "cohorts.forProgram",
  "cohorts.home",
  "cohorts.invitation",
  "cohorts.join",
  "cohorts.joinByInvite",
  "cohorts.leave",
];

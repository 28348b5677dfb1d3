// Procedures covered by tests/integration/journal-authz.test.ts (journal and sharing).
export const covered = [
  "journal.list",
  "journal.timeline",
  "journal.compare",
  "journal.scaleTrend",
  "journal.filters",
  "coaching.share",
  "coaching.unshare",
  "coaching.myShares",
  "coaching.progress",
  "coaching.sharedAnswers",
];

// Email nudges: one's own preferences (signed in), or through a signed link (anyone holding it).
// Matrix: tests/integration/nudges-authz.test.ts
export const covered = [
  "nudges.preferences",
  "nudges.save",
  "nudges.linkPreferences",
  "nudges.saveWithLink",
];

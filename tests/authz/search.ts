// Search over what the caller may see. Matrix: tests/integration/search-authz.test.ts
export const covered = ["search.query"];

// "Export all my data": each signed-in caller asks for and reads only their own export.
// Matrix: tests/integration/exports-authz.test.ts
export const covered = ["exports.request", "exports.status"];

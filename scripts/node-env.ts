/**
 * Imported first by the launcher and the worker, before any module that loads React: React picks
 * its development or production build from NODE_ENV when it is first required, and an email
 * template rendered in a job with the development JSX runtime and the production renderer fails
 * ("dispatcher.getOwner is not a function"). ES imports run in order, so setting it here, in the
 * first import, is early enough; assigning it later in the script body is not.
 */
const env = process.env as Record<string, string>;
const launcherMode = process.argv[1]?.endsWith("launcher.ts") ? process.argv[2] : undefined;
if (launcherMode === "dev") env.NODE_ENV = "development";
else if (launcherMode) env.NODE_ENV = "production";
// A worker started on its own is a production worker unless told otherwise.
else env.NODE_ENV ??= "production";

import { EnvError, env } from "./server/env";

// A misconfigured deployment stops here with the list of settings to fix, instead of failing on
// the first request that needs one.
try {
  env();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

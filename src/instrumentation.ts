// Runs once when the Next.js server starts: a misconfigured deployment stops here with the list
// of settings to fix, instead of failing on the first request that needs one.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env, EnvError } = await import("./server/env");
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

// Runs once when the Next.js server starts. The Node-only check lives in its own module so the
// edge bundle never sees it (Next replaces NEXT_RUNTIME at build time).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./instrumentation-node");
}

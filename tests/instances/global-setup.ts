import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { prepareTemplate } from "../helpers/database";

/**
 * The web processes serve a production build, as in production. `npm test` runs this project
 * right after `next build`; run on its own without a build, it builds first.
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (!existsSync(path.resolve(".next/BUILD_ID"))) {
    console.log("[instances] no production build yet: running next build");
    const build = spawnSync(
      process.execPath,
      [path.resolve("node_modules/next/dist/bin/next"), "build"],
      { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } },
    );
    if (build.status !== 0) throw new Error(`next build failed (${build.status ?? build.signal})`);
  }
  return prepareTemplate();
}

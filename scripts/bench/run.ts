/** What the HTTP and Lighthouse benchmarks share around their measuring: flags and teardown. */
import { randomBytes } from "node:crypto";

/** A `--name N` flag that must be a whole number of at least 1; exits 2 naming it otherwise. */
export function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number of at least 1 (got "${value}")`);
    process.exit(2);
  }
  return n;
}

/** The flags of the seeded population (scripts/bench/population.ts): --members N, --answers N. */
export const POPULATION_OPTIONS = {
  members: { type: "string", default: "2000" },
  answers: { type: "string", default: "50" },
} as const;

/** Those flags, checked: the population's size. */
export function populationSize(args: { members?: string; answers?: string }) {
  return {
    members: positive("members", args.members),
    answers: positive("answers", args.answers),
  };
}

/**
 * Undo steps of one benchmark run (stop the browser, the server, drop the database), run once, in
 * the reverse order they were added, each failure printed and the rest still run; also on
 * SIGINT/SIGTERM, which then exit 130.
 */
export class Teardown {
  private steps: { what: string; undo: () => unknown }[] = [];
  private running: Promise<void> | undefined;

  constructor() {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.on(signal, () => {
        console.error(`\n${signal}: stopping…`);
        void this.run().then(() => process.exit(130));
      });
    }
  }

  add(what: string, undo: () => unknown): void {
    this.steps.push({ what, undo });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const { what, undo } of [...this.steps].reverse()) {
        try {
          await undo();
        } catch (error) {
          console.error(`${what}: ${(error as Error).message}`);
        }
      }
    })();
    return this.running;
  }
}

/**
 * Private text is sealed under a master key (src/server/crypto): the bench process, which seals
 * the population it inserts, and the servers and workers it starts must hold the same one. Set
 * before anything reads a key.
 */
export function shareMasterKey(): void {
  process.env.KINDRED_MASTER_KEY ??= randomBytes(32).toString("base64");
}

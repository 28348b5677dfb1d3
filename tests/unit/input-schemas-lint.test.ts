import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Inputs are checked at one boundary (src/lib/input.ts). A bare `z.string()` or `z.number()`
 * in an input schema would let NUL, lone surrogates or 2^31 through again, so this fails on
 * any in the places inputs are declared: every domain's schemas.ts, the exercise kinds'
 * content and config, any file with an inline `.input(...)`, and every route handler.
 */
const root = path.resolve(import.meta.dirname, "../..");
const BARE = /\bz\s*\.\s*(string|number|int|int32|bigint|unknown|any|custom|coerce)\b/;

function files(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

function inputFiles(): string[] {
  const server = files("src/server");
  const app = files("src/app");
  return [
    ...server.filter((f) => f.endsWith("/schemas.ts")),
    "src/server/programs/exercise-kinds.ts",
    ...[...server, ...app].filter((f) =>
      readFileSync(path.join(root, f), "utf8").includes(".input("),
    ),
    ...app.filter((f) => f.endsWith("/route.ts")),
  ];
}

describe("input schemas", () => {
  it("are found where they should be", () => {
    const found = inputFiles();
    expect(found).toContain("src/server/player/schemas.ts");
    expect(found).toContain("src/server/mailbox/router.ts");
    expect(found).toContain("src/app/api/export/journal/route.ts");
  });

  it("use the shared text, integer, id and JSON schemas, never bare zod strings or numbers", () => {
    const offenders = [...new Set(inputFiles())].flatMap((file) =>
      readFileSync(path.join(root, file), "utf8")
        .split("\n")
        .map((line, i) => ({ line, at: `${file}:${i + 1}` }))
        .filter(({ line }) => BARE.test(line) && !line.trim().startsWith("//"))
        .map(({ line, at }) => `${at}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  it("would catch a bare z.string()", () => {
    expect(BARE.test("  name: z.string().max(10),")).toBe(true);
    expect(BARE.test("  n: z.coerce.number(),")).toBe(true);
    expect(BARE.test("  name: text({ label: 'x', max: 10 }),")).toBe(false);
  });
});

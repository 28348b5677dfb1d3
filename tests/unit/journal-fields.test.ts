import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PassContent } from "@/components/player/PassContent";
import { excerptOf, readSnapshot } from "@/server/journal/fields";

// Stored as PostgreSQL gives jsonb back: keys by length, so not in the prompt's order.
const content = { answers: { Work: "Lunch alone.", Family: "Sunday calls.", Friendships: "Few." } };
const snapshot = {
  prompt: "Look at your community through each lens",
  config: { lenses: ["Friendships", "Family", "Work"] },
  revision: 1,
  stepTitle: "Lenses",
  programTitle: "Community",
};

describe("lens answers", () => {
  it("preview in the journal list under their lens names, in the prompt's order", () => {
    expect(excerptOf("LENSES", content, readSnapshot(snapshot))).toBe(
      "Friendships: Few. · Family: Sunday calls. · Work: Lunch alone.",
    );
  });

  it("read back in the prompt's order, each under its lens", () => {
    const html = renderToStaticMarkup(
      PassContent({ kind: "LENSES", content, snapshot }) as React.ReactElement,
    );
    const terms = [...html.matchAll(/<dt[^>]*>([^<]+)<\/dt>/g)].map((m) => m[1]);
    expect(terms).toEqual(["Friendships", "Family", "Work"]);
  });
});

import { describe, expect, it } from "vitest";
import { prefetchesInView } from "@/components/ui/Link";
import { inSignedInArea, SIGNED_IN_AREAS } from "@/lib/signed-in-areas";

describe("which links are prefetched as they come into view", () => {
  it("never a link into a signed-in area, whatever follows the area's name", () => {
    for (const area of SIGNED_IN_AREAS) {
      for (const href of [`/${area}`, `/${area}/x/y`, `/${area}?q=1`, `/${area}#top`]) {
        expect(prefetchesInView(href), href).toBe(false);
        expect(prefetchesInView({ pathname: href.split(/[?#]/)[0] }), href).toBe(false);
      }
    }
    expect(prefetchesInView("/app/journal/cmx1/compare")).toBe(false);
    expect(prefetchesInView("/coach/cohorts/c1?page=2#roster-heading")).toBe(false);
  });

  it("public pages, and paths that only begin like an area", () => {
    for (const href of [
      "/",
      "/signin",
      "/pricing",
      "/privacy",
      "/apps",
      "/searching",
      "/email/unsubscribe",
    ])
      expect(prefetchesInView(href), href).toBe(true);
    expect(inSignedInArea("/application")).toBe(false);
  });
});

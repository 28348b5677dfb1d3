import { describe, expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { SEALED } from "@/server/crypto/sealing";
import { AREAS, INVENTORY, inventoryByArea, keptFor } from "@/server/privacy/inventory";
import { RETENTION_RULES } from "@/server/privacy/retention";

describe("the privacy page's inventory", () => {
  it("describes every table of the schema, and nothing that is not one", () => {
    expect(Object.keys(INVENTORY).sort()).toEqual(Object.values(Prisma.ModelName).sort());
  });

  it("places every table in exactly one of the page's areas", () => {
    const listed = inventoryByArea().flatMap((group) => group.tables.map((t) => t.table));
    expect(listed.sort()).toEqual(Object.keys(INVENTORY).sort());
    for (const entry of Object.values(INVENTORY)) expect(AREAS).toContain(entry.area);
  });

  it("says for every table how long it is kept, in the retention rule's own words", () => {
    for (const [table, entry] of Object.entries(INVENTORY)) {
      const kept = keptFor(entry);
      expect(kept.length, table).toBeGreaterThan(3);
      if (typeof entry.kept === "string" && entry.kept !== "account") {
        expect(kept).toBe(RETENTION_RULES.find((r) => r.id === entry.kept)?.kept);
      }
    }
    expect(keptFor(INVENTORY.AnswerPass)).toBe("While your account exists");
    expect(keptFor(INVENTORY.Session)).toMatch(/30 days/);
  });

  it("keeps the private journal and map readable by the member alone", () => {
    for (const table of [
      "AnswerDraft",
      "Person",
      "ReachOut",
      "Commitment",
      "CommitmentCheckIn",
    ] as const) {
      expect(INVENTORY[table].readers, table).toBe("You alone");
    }
  });

  it("marks exactly the tables whose private text is sealed, and with whose key", () => {
    const rows = inventoryByArea().flatMap((group) => group.tables);
    const marked = rows.filter((t) => t.sealed).map((t) => t.table);
    expect(marked.sort()).toEqual(Object.keys(SEALED).sort());
    const byTable = new Map(rows.map((t) => [t.table, t]));
    expect(byTable.get("Share")?.sealed).toBe("program");
    expect(byTable.get("AnswerPass")?.sealed).toBe("member");
    expect(byTable.get("Person")?.sealedExcept).toBe("the circle's name");
  });
});

import { describe, expect, it } from "vitest";
import { type AuditFacts, describeAudit } from "@/server/audit/describe";

const facts = (f: Partial<AuditFacts> & { action: string }): AuditFacts => ({
  details: {},
  target: null,
  subject: null,
  program: null,
  ...f,
});

describe("audit sentences", () => {
  it("say who and what, with names instead of ids and no raw JSON", () => {
    const cases: [AuditFacts, string][] = [
      [
        facts({
          action: "user.role_changed",
          target: "Maya",
          details: { from: "MEMBER", to: "COACH" },
        }),
        "changed Maya's role from member to coach",
      ],
      [
        facts({ action: "user.deactivated", target: "Maya" }),
        "deactivated Maya's account and signed them out everywhere",
      ],
      [
        facts({ action: "program.published", subject: "Community, on purpose" }),
        "published the program “Community, on purpose”",
      ],
      [facts({ action: "program.archived" }), "archived a program that was since deleted"],
      [
        facts({
          action: "cohort.reschedule",
          subject: "Winter circle",
          details: {
            from: { startDate: "2026-12-01", timeZone: "UTC" },
            to: { startDate: "2026-12-08", timeZone: "Europe/Paris" },
          },
        }),
        "rescheduled “Winter circle” from 2026-12-01 (UTC) to 2026-12-08 (Europe/Paris)",
      ],
      [
        facts({
          action: "billing.refund",
          target: "Amara",
          details: { amount: 1200, currency: "gbp", reason: "Asked" },
        }),
        "refunded £12.00 to Amara: “Asked”",
      ],
      [
        facts({
          action: "billing.comp.grant",
          target: "Sam",
          program: "Reaching out again",
          details: { programId: "p1", expiresAt: null, reason: "Scholarship" },
        }),
        "gave Sam free access to “Reaching out again”: “Scholarship”",
      ],
      [
        facts({ action: "billing.comp.grant", target: "Sam", details: { programId: null } }),
        "gave Sam free access to every program",
      ],
      [
        facts({
          action: "billing.plan.update",
          subject: "Monthly",
          currency: "usd",
          details: { name: "Monthly", amount: 1500, previousAmount: 1200, active: false },
        }),
        "updated the plan “Monthly” (price US$12.00 → US$15.00, retired)",
      ],
      [
        facts({ action: "email.unsuppressed", details: { addressDomain: "example.org" } }),
        "allowed email again to an address at example.org",
      ],
      [
        facts({ action: "cohort.remove-member", subject: "Spring circle" }),
        "removed a former member from “Spring circle”",
      ],
      [
        facts({ action: "user.email_changed", target: "Maya" }),
        "changed their sign-in email address, confirmed from the new address",
      ],
      [
        facts({ action: "user.account_deleted", details: { by: "member" } }),
        "deleted their own account, confirmed from their email",
      ],
      [
        facts({
          action: "user.account_deleted",
          details: { by: "admin", reason: "Asked by email" },
        }),
        "deleted a member's account at their request (Asked by email)",
      ],
      [facts({ action: "something.new_kind" }), "something new kind"],
    ];
    for (const [input, sentence] of cases)
      expect(describeAudit(input), input.action).toBe(sentence);
  });

  it("never throws on details of an unexpected shape", () => {
    for (const details of [null, 42, "x", [], { from: 1, to: { a: 1 } }, { amount: "12" }]) {
      for (const action of [
        "user.role_changed",
        "cohort.reschedule",
        "billing.refund",
        "billing.plan.update",
      ]) {
        expect(typeof describeAudit(facts({ action, details }))).toBe("string");
      }
    }
  });
});

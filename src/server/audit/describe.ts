import { formatMoney } from "@/lib/money";

/**
 * Audit entries as sentences an admin reads at a glance ("published the program “Community, on
 * purpose”"), instead of an action code and raw JSON. The actor's name goes before the sentence
 * and the time after it, on the page. Names of programs, cohorts and plans are looked up when
 * the log is read (`listAudit`): an entry keeps ids only, so a rename shows the current name
 * and nothing personal is copied into the log.
 */
export type AuditFacts = {
  action: string;
  details: unknown;
  /** The person the action was about, by name or address; null when none or since deleted. */
  target: string | null;
  /** The program, cohort or plan the entry is about, when it still exists. */
  subject: string | null;
  /** A program named in the details (a comp's or a new cohort's program). */
  program: string | null;
  /** A plan's currency, for amounts whose entry does not name it. */
  currency?: string | null;
};

/** Areas the log can be filtered by, each the prefix of its actions. */
export const AUDIT_AREAS = {
  users: "user.",
  programs: "program.",
  cohorts: "cohort.",
  billing: "billing.",
  emails: "email.",
} as const;
export type AuditArea = keyof typeof AUDIT_AREAS;

const ROLE: Record<string, string> = { MEMBER: "member", COACH: "coach", ADMIN: "admin" };

const quoted = (name: string | null, fallback: string) => (name ? `“${name}”` : fallback);

function record(details: unknown): Record<string, unknown> {
  return details && typeof details === "object" && !Array.isArray(details)
    ? (details as Record<string, unknown>)
    : {};
}

const str = (value: unknown) => (typeof value === "string" ? value : null);
const num = (value: unknown) => (typeof value === "number" ? value : null);

export function describeAudit(f: AuditFacts): string {
  const d = record(f.details);
  const who = f.target ?? "a former member";
  const program = f.subject ? `the program “${f.subject}”` : "a program that was since deleted";
  const cohort = quoted(f.subject, "a cohort that was since deleted");
  const money = (amount: unknown) => {
    const n = num(amount);
    const currency = str(d.currency) ?? f.currency ?? "gbp";
    return n === null ? "" : formatMoney(n, currency);
  };
  switch (f.action) {
    case "user.role_changed":
      return `changed ${who}'s role from ${ROLE[str(d.from) ?? ""] ?? "?"} to ${ROLE[str(d.to) ?? ""] ?? "?"}`;
    case "user.deactivated":
      return `deactivated ${who}'s account and signed them out everywhere`;
    case "user.reactivated":
      return `reactivated ${who}'s account`;
    case "user.email_changed":
      return "changed their sign-in email address, confirmed from the new address";
    case "user.account_deleted": {
      // The entry names nobody: the account, and everything that said who it was, is gone.
      const reason = str(d.reason);
      return d.by === "admin"
        ? `deleted a member's account at their request${reason ? ` (${reason})` : ""}`
        : "deleted their own account, confirmed from their email";
    }
    case "program.published":
      return `published ${program}`;
    case "program.archived":
      return `archived ${program}`;
    case "program.unarchived":
      return `brought ${program} back from the archive`;
    case "program.duplicated":
      return `made a copy of a program: ${f.subject ? `“${f.subject}”` : "a copy since deleted"}`;
    case "cohort.create":
      return `created the cohort ${quoted(str(d.name), cohort)}${f.program ? ` of ${quoted(f.program, "")}` : ""}, starting ${str(d.startDate) ?? "on a date not recorded"}`;
    case "cohort.reschedule": {
      const from = record(d.from);
      const to = record(d.to);
      return `rescheduled ${cohort} from ${str(from.startDate) ?? "?"} (${str(from.timeZone) ?? "?"}) to ${str(to.startDate) ?? "?"} (${str(to.timeZone) ?? "?"})`;
    }
    case "cohort.close":
      return `closed ${cohort}`;
    case "cohort.remove-member":
      return `removed ${who} from ${cohort}`;
    case "cohort.nudge":
      return `sent ${who} a note in ${cohort}`;
    case "cohort.remove-comment":
      return `removed a comment by ${who} in a cohort space`;
    case "cohort.hide-post":
      return `hid a post by ${who} in a cohort space`;
    case "cohort.unhide-post":
      return `showed again a post by ${who} in a cohort space`;
    case "billing.refund": {
      const reason = str(d.reason);
      return `refunded ${money(d.amount) || "a payment"} to ${who}${reason ? `: “${reason}”` : ""}`;
    }
    case "billing.comp.grant": {
      const until = str(d.expiresAt);
      const reason = str(d.reason);
      const what = d.programId ? quoted(f.program, "a program since deleted") : "every program";
      return `gave ${who} free access to ${what}${until ? ` until ${until.slice(0, 10)}` : ""}${reason ? `: “${reason}”` : ""}`;
    }
    case "billing.comp.revoke":
      return `ended ${who}'s free access to ${d.programId ? quoted(f.program, "a program since deleted") : "every program"}`;
    case "billing.plan.create":
      return `created the plan ${quoted(str(d.name), "(unnamed)")} at ${money(d.amount)}`;
    case "billing.plan.update": {
      const changes: string[] = [];
      const before = num(d.previousAmount);
      const after = num(d.amount);
      if (before !== null && after !== null && before !== after) {
        changes.push(`price ${money(before)} → ${money(after)}`);
      }
      if (d.active === false) changes.push("retired");
      return `updated the plan ${quoted(str(d.name) ?? f.subject, "(unnamed)")}${changes.length ? ` (${changes.join(", ")})` : ""}`;
    }
    case "email.unsuppressed":
      return `allowed email again to an address at ${str(d.addressDomain) || "an unknown domain"}`;
    default:
      return f.action.replace(/[._-]/g, " ");
  }
}

import { byNameWithinGroups } from "../community/service";
import type { Db } from "../db";
import { DomainError } from "../errors";
import { answerFields, readSnapshot, scaleValueOf } from "./fields";
import { exportFormat } from "./schemas";

/**
 * "Export all my data": everything Kindred holds that the member wrote, as JSON (complete,
 * machine-readable) or Markdown (a readable journal). Only rows owned by `userId`; a fixed
 * number of queries whatever the size.
 */
export async function buildJournalExport(db: Db, userId: string, now = new Date()) {
  const [profile, passes, people, commitments, ticks, shares, enrolments] = await Promise.all([
    db.user.findUnique({
      where: { id: userId },
      select: { name: true, email: true, timeZone: true, role: true, createdAt: true },
    }),
    db.answerPass.findMany({
      where: { userId },
      orderBy: [{ createdAt: "asc" }, { passNumber: "asc" }],
      select: {
        id: true,
        programId: true,
        exerciseId: true,
        passNumber: true,
        kind: true,
        content: true,
        promptSnapshot: true,
        scaleValue: true,
        createdAt: true,
      },
    }),
    db.person.findMany({
      where: { userId },
      // Names are sealed: ordered by name within each circle below.
      orderBy: [{ circle: "asc" }, { id: "asc" }],
      select: {
        id: true,
        name: true,
        circle: true,
        status: true,
        why: true,
        lastContactAt: true,
        plannedReachOutAt: true,
        createdAt: true,
        reachOuts: {
          where: { userId },
          orderBy: { at: "asc" },
          select: { at: true, note: true },
        },
      },
    }),
    db.commitment.findMany({
      where: { userId },
      orderBy: [{ dueOn: "asc" }, { createdAt: "asc" }],
      select: {
        id: true,
        text: true,
        dueOn: true,
        status: true,
        createdAt: true,
        checkIns: {
          orderBy: { createdAt: "asc" },
          select: { outcome: true, note: true, createdAt: true },
        },
      },
    }),
    db.practiceTick.findMany({
      where: { userId },
      orderBy: { createdAt: "asc" },
      select: {
        practiceKey: true,
        note: true,
        createdAt: true,
        exercise: { select: { config: true, prompt: true } },
      },
    }),
    db.share.findMany({
      where: { userId },
      orderBy: { createdAt: "asc" },
      select: { passId: true, audience: true, createdAt: true, revokedAt: true },
    }),
    db.enrolment.findMany({
      where: { userId },
      orderBy: { createdAt: "asc" },
      select: {
        createdAt: true,
        completedAt: true,
        program: { select: { id: true, title: true } },
      },
    }),
  ]);
  if (!profile) throw new DomainError("NOT_FOUND", "No such account.");

  return {
    format: "kindred-journal",
    version: 1,
    exportedAt: now.toISOString(),
    profile,
    enrolments: enrolments.map((e) => ({
      programId: e.program.id,
      programTitle: e.program.title,
      enrolledAt: e.createdAt,
      completedAt: e.completedAt,
    })),
    passes: passes.map((p) => {
      const snapshot = readSnapshot(p.promptSnapshot);
      return {
        id: p.id,
        programId: p.programId,
        exerciseId: p.exerciseId,
        passNumber: p.passNumber,
        kind: p.kind,
        answeredAt: p.createdAt,
        prompt: snapshot,
        scaleValue: p.kind === "SCALE" ? scaleValueOf(p.content, p.scaleValue) : null,
        content: p.content,
      };
    }),
    people: byNameWithinGroups(people, (p) => p.circle).map(({ reachOuts, ...person }) => ({
      ...person,
      reachOuts,
    })),
    commitments,
    practiceTicks: ticks.map((t) => {
      const practices = (t.exercise.config as { practices?: { key?: string; label?: string }[] })
        ?.practices;
      const label = Array.isArray(practices)
        ? practices.find((p) => p?.key === t.practiceKey)?.label
        : undefined;
      return {
        practiceKey: t.practiceKey,
        practice: label ?? t.practiceKey,
        note: t.note,
        at: t.createdAt,
      };
    }),
    shares,
  };
}

export type JournalExport = Awaited<ReturnType<typeof buildJournalExport>>;

const day = (d: Date | string) => new Date(d).toISOString().slice(0, 10);
/** Headings are one line; user text can hold anything. */
const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();
/** Answers are quoted so a "#" line a member wrote never reads as one of our headings. */
const quote = (s: string) =>
  s.trim()
    ? s
        .trim()
        .split("\n")
        .map((l) => (l.trim() ? `> ${l}` : ">"))
        .join("\n")
    : "_(left empty)_";

const STATUS: Record<string, string> = {
  KEEP: "Keep close",
  RECONNECT: "Reconnect",
  MOVE_ON: "Move on",
  OPEN: "Open",
  DONE: "Done",
  NOT_YET: "Not yet",
  CHANGED: "Changed",
};

/** A readable journal: program → prompt → passes, then people, commitments and practices. */
export function journalMarkdown(data: JournalExport): string {
  const out: string[] = [];
  const name = data.profile.name ?? data.profile.email;
  out.push(`# Kindred journal — ${oneLine(name)}`, "");
  out.push(
    `Exported on ${day(data.exportedAt)}. Everything you wrote in Kindred, oldest first.`,
    "",
  );

  // Group by program, then prompt, in the order they were first answered.
  const programs = new Map<string, Map<string, JournalExport["passes"]>>();
  for (const pass of data.passes) {
    const prompts = programs.get(pass.programId) ?? new Map();
    programs.set(pass.programId, prompts);
    const list = prompts.get(pass.exerciseId) ?? [];
    prompts.set(pass.exerciseId, list);
    list.push(pass);
  }
  if (!programs.size) out.push("_No answers yet._", "");
  for (const prompts of programs.values()) {
    const first = [...prompts.values()][0]?.[0];
    out.push(`## ${oneLine(first?.prompt.programTitle || "Program")}`, "");
    for (const passes of prompts.values()) {
      const latest = passes[passes.length - 1]!;
      out.push(`### ${oneLine(latest.prompt.prompt || "Prompt")}`, "");
      if (latest.prompt.stepTitle) out.push(`_Step: ${oneLine(latest.prompt.stepTitle)}_`, "");
      for (const pass of passes) {
        out.push(`#### Pass ${pass.passNumber} — ${day(pass.answeredAt)}`, "");
        if (pass.prompt.prompt !== latest.prompt.prompt)
          out.push(`_The prompt then read: “${oneLine(pass.prompt.prompt)}”_`, "");
        if (pass.scaleValue !== null) out.push(`**Scale:** ${pass.scaleValue} / 10`, "");
        const fields = answerFields(pass.kind, pass.content, pass.prompt);
        for (const field of fields) {
          // Lens answers get their own sub-headings so the lenses read side by side.
          out.push(
            pass.kind === "LENSES"
              ? `##### ${oneLine(field.label)}`
              : `**${oneLine(field.label)}**`,
            "",
          );
          out.push(quote(field.text), "");
        }
      }
    }
  }

  out.push("## People", "");
  if (!data.people.length) out.push("_No one on your map yet._", "");
  for (const p of data.people) {
    out.push(`### ${oneLine(p.name)} — ${oneLine(p.circle)} (${STATUS[p.status] ?? p.status})`, "");
    if (p.why) out.push(quote(p.why), "");
    if (p.lastContactAt) out.push(`- Last contact: ${day(p.lastContactAt)}`);
    if (p.plannedReachOutAt) out.push(`- Planned reach-out: ${day(p.plannedReachOutAt)}`);
    for (const r of p.reachOuts)
      out.push(`- Reached out on ${day(r.at)}${r.note ? `: ${oneLine(r.note)}` : ""}`);
    out.push("");
  }

  out.push("## Commitments", "");
  if (!data.commitments.length) out.push("_No commitments yet._", "");
  for (const c of data.commitments) {
    out.push(
      `### ${oneLine(c.text)}`,
      "",
      `- Due: ${day(c.dueOn)} · ${STATUS[c.status] ?? c.status}`,
    );
    for (const k of c.checkIns)
      out.push(
        `- Check-in ${day(k.createdAt)}: ${STATUS[k.outcome] ?? k.outcome}${k.note ? ` — ${oneLine(k.note)}` : ""}`,
      );
    out.push("");
  }

  out.push("## Practices", "");
  if (!data.practiceTicks.length) out.push("_No practices ticked yet._", "");
  for (const t of data.practiceTicks)
    out.push(`- ${day(t.at)}: ${oneLine(t.practice)}${t.note ? ` — ${oneLine(t.note)}` : ""}`);
  out.push("");
  return out.join("\n");
}

/**
 * The download itself (the route handler only reads the session): 401 when signed out, 400 for
 * an unknown format, else an attachment that is never cached.
 */
export async function journalExportResponse(
  db: Db,
  userId: string | null,
  format: string | null,
): Promise<Response> {
  if (!userId) return Response.json({ error: "Please sign in." }, { status: 401 });
  const parsed = exportFormat.safeParse(format ?? undefined);
  if (!parsed.success) {
    return Response.json({ error: parsed.error.issues[0]!.message }, { status: 400 });
  }
  const kind = parsed.data;
  const data = await buildJournalExport(db, userId);
  const body = kind === "json" ? JSON.stringify(data, null, 2) : journalMarkdown(data);
  return new Response(body, {
    headers: {
      "Content-Type":
        kind === "json" ? "application/json; charset=utf-8" : "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="kindred-journal-${data.exportedAt.slice(0, 10)}.${kind}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

"use client";

import Link from "@/components/ui/Link";
import { buttonClass, cardClass } from "../ui/styles";

/** One prompt on a page of the journal, already worded and formatted by the server. */
export type JournalEntry = {
  exerciseId: string;
  /** "Program · Step". */
  where: [program: string, step: string];
  kindLabel: string;
  removed: boolean;
  prompt: string;
  passCount: number;
  /** The latest pass: its instant (ISO) and that day in the reader's zone. */
  latest: [iso: string, day: string];
  latestScale: number | null;
  latestExcerpt: string | null;
};

/**
 * The journal's list of prompts. A client component for the same reason as the roster's table
 * (RosterTable.tsx): its entries reach the browser once as this compact data, where a
 * server-rendered list would go out twice, as HTML and again as its tree in the RSC payload.
 */
export function JournalEntries(props: { entries: JournalEntry[] }) {
  return (
    <ul aria-label="Prompts you answered" className="space-y-4">
      {props.entries.map((e) => (
        <li key={e.exerciseId} className={cardClass}>
          <p className="flex flex-wrap items-center gap-2 text-sm text-muted">
            <span>{e.where[0]}</span>
            <span aria-hidden="true">·</span>
            <span>{e.where[1]}</span>
            <span className="pill">{e.kindLabel}</span>
            {e.removed && (
              <span className="rounded-full bg-warn-soft px-2 py-0.5 text-xs font-medium text-warn">
                Removed from the program — your answers stay
              </span>
            )}
          </p>
          <h2 className="mt-2 font-serif text-xl text-ink">{e.prompt}</h2>
          <p className="mt-1 text-sm text-muted">
            {e.passCount === 1 ? "1 pass" : `${e.passCount} passes`} · latest on{" "}
            <time dateTime={e.latest[0]}>{e.latest[1]}</time>
            {e.latestScale !== null && ` · now ${e.latestScale} / 10`}
          </p>
          {e.latestExcerpt && (
            <p className="mt-3 border-l-4 border-line pl-3 text-ink/90 break-words">
              {e.latestExcerpt}
            </p>
          )}
          <div className="mt-4 flex flex-wrap gap-2">
            <Link
              href={`/app/journal/${e.exerciseId}`}
              className={buttonClass("secondary")}
              aria-label={`Timeline: ${e.prompt}`}
            >
              Timeline
            </Link>
            {e.passCount > 1 && (
              <Link
                href={`/app/journal/${e.exerciseId}/compare`}
                className={buttonClass("secondary")}
                aria-label={`Compare passes: ${e.prompt}`}
              >
                Compare passes
              </Link>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

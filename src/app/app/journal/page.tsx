import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { KIND_LABEL } from "@/components/journal/format";
import { JournalEntries } from "@/components/journal/JournalEntries";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass, cardClass, inputClass } from "@/components/ui/styles";
import { formatDate } from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Journal" };

type Search = {
  program?: string;
  prompt?: string;
  lens?: string;
  from?: string;
  to?: string;
  cursor?: string;
};
type Props = { searchParams: Promise<Search> };

const selectClass = "block min-h-11 w-full rounded-lg border border-line bg-white px-3 text-base";

export default async function JournalPage({ searchParams }: Props) {
  const user = await requireUser("/app/journal");
  const search = await searchParams;
  const caller = await api();
  // Empty form fields arrive as "": treat them as "no filter".
  const clean = (v?: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
  const input = {
    programId: clean(search.program),
    exerciseId: clean(search.prompt),
    lens: clean(search.lens),
    from: clean(search.from),
    to: clean(search.to),
    cursor: clean(search.cursor),
  };
  // The dates count as one filter ("answered between").
  const active = [input.programId, input.exerciseId, input.lens, input.from || input.to].filter(
    Boolean,
  ).length;
  const filtering = active > 0;

  // Both reads at once: the page waits for one round trip, not two.
  const [filters, listed] = await Promise.all([
    caller.journal.filters(),
    caller.journal.list(input).then(
      (list) => ({ list, problem: null }),
      (error: unknown) => {
        if (!(error instanceof TRPCError) || error.code !== "BAD_REQUEST") throw error;
        const cause = error.cause as { issues?: { message: string }[] } | undefined;
        const problem = cause?.issues?.map((i) => i.message).join(" ") || error.message;
        return { list: null, problem };
      },
    ),
  ]);
  const { list, problem } = listed;

  const nextHref =
    list?.nextCursor &&
    `/app/journal?${new URLSearchParams(
      Object.entries({ ...search, cursor: list.nextCursor }).filter(
        (e): e is [string, string] => typeof e[1] === "string" && e[1] !== "",
      ),
    )}`;

  return (
    <>
      <PageHeader
        title="Journal"
        lead="Every answer you have given, private to you. Answer a prompt again to see how your thinking moves."
        actions={
          <div className="flex flex-wrap gap-2">
            <a href="/api/export/journal?format=md" download className={buttonClass("secondary")}>
              Export as Markdown
            </a>
            <a href="/api/export/journal?format=json" download className={buttonClass("secondary")}>
              Export as JSON
            </a>
          </div>
        }
      />

      {/* Entries come first: the filters wait behind a disclosure that says how many apply. */}
      {filters.prompts.length > 0 && (
        <details className={`${cardClass} group mb-6 p-0 sm:p-0`}>
          <summary className="flex min-h-12 cursor-pointer list-none flex-wrap items-center gap-2 rounded-2xl px-5 py-2 font-semibold sm:px-6 [&::-webkit-details-marker]:hidden">
            <svg
              aria-hidden="true"
              viewBox="0 0 20 20"
              className="h-4 w-4 transition-transform group-open:rotate-90"
              fill="currentColor"
            >
              <path d="M7 4l6 6-6 6z" />
            </svg>
            Filter your journal
            {active > 0 && (
              <span className="pill">
                <span className="sr-only">: </span>
                {active === 1 ? "1 filter on" : `${active} filters on`}
              </span>
            )}
          </summary>
          <form
            action="/app/journal"
            aria-label="Filter your journal"
            className="border-t border-line px-5 pt-4 pb-5 sm:px-6"
          >
            <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
              <div className="space-y-1.5">
                <label htmlFor="f-program" className="block text-sm font-semibold">
                  Program
                </label>
                <select
                  id="f-program"
                  name="program"
                  defaultValue={input.programId ?? ""}
                  className={selectClass}
                >
                  <option value="">All programs</option>
                  {filters.programs.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.title}
                    </option>
                  ))}
                </select>
              </div>
              <div className="space-y-1.5 lg:col-span-2">
                <label htmlFor="f-prompt" className="block text-sm font-semibold">
                  Prompt
                </label>
                <select
                  id="f-prompt"
                  name="prompt"
                  defaultValue={input.exerciseId ?? ""}
                  className={selectClass}
                >
                  <option value="">All prompts</option>
                  {filters.programs.map((program) => (
                    <optgroup key={program.id} label={program.title}>
                      {filters.prompts
                        .filter((p) => p.programId === program.id)
                        .map((p) => (
                          <option key={p.id} value={p.id}>
                            {p.prompt.length > 70 ? `${p.prompt.slice(0, 69)}…` : p.prompt}
                          </option>
                        ))}
                    </optgroup>
                  ))}
                </select>
              </div>
              <div className="space-y-1.5">
                <label htmlFor="f-lens" className="block text-sm font-semibold">
                  Lens
                </label>
                <select
                  id="f-lens"
                  name="lens"
                  defaultValue={input.lens ?? ""}
                  className={selectClass}
                >
                  <option value="">Any lens</option>
                  {filters.lenses.map((l) => (
                    <option key={l} value={l}>
                      {l}
                    </option>
                  ))}
                </select>
              </div>
              <fieldset className="space-y-1.5 sm:col-span-2 lg:col-span-1">
                <legend className="text-sm font-semibold">Answered between</legend>
                <div className="grid grid-cols-2 gap-2">
                  <div>
                    <label htmlFor="f-from" className="sr-only">
                      From date
                    </label>
                    <input
                      id="f-from"
                      name="from"
                      type="date"
                      defaultValue={input.from}
                      className={inputClass()}
                    />
                  </div>
                  <div>
                    <label htmlFor="f-to" className="sr-only">
                      To date
                    </label>
                    <input
                      id="f-to"
                      name="to"
                      type="date"
                      defaultValue={input.to}
                      className={inputClass()}
                    />
                  </div>
                </div>
              </fieldset>
            </div>
            <div className="mt-4 flex flex-wrap gap-2">
              <button type="submit" className={buttonClass("primary")}>
                Apply filters
              </button>
              {filtering && (
                <Link href="/app/journal" className={buttonClass("ghost")}>
                  Clear filters
                </Link>
              )}
            </div>
          </form>
        </details>
      )}

      {problem && (
        <div className="mb-6">
          <Notice tone="danger" role="alert">
            {problem}
          </Notice>
        </div>
      )}

      {list && list.items.length === 0 && (
        <EmptyState title={filtering ? "Nothing matches these filters" : "Your journal is empty"}>
          {filtering ? (
            <Link href="/app/journal" className="font-semibold text-brand underline">
              Show every answer
            </Link>
          ) : (
            <>
              Answers you submit in a program appear here.{" "}
              <Link href="/app/programs" className="font-semibold text-brand underline">
                Find a program
              </Link>
            </>
          )}
        </EmptyState>
      )}

      {list && list.items.length > 0 && (
        <JournalEntries
          entries={list.items.map((item) => ({
            exerciseId: item.exerciseId,
            where: [item.programTitle, item.stepTitle],
            kindLabel: KIND_LABEL[item.kind] ?? item.kind,
            removed: item.exerciseRemoved,
            prompt: item.prompt,
            passCount: item.passCount,
            latest: [
              new Date(item.latestAt).toISOString(),
              formatDate(item.latestAt, user.timeZone),
            ],
            latestScale: item.latestScale,
            latestExcerpt: item.latestExcerpt,
          }))}
        />
      )}

      {nextHref && (
        <p className="mt-6">
          <Link href={nextHref} className={buttonClass("secondary")}>
            Older prompts
          </Link>
        </p>
      )}
    </>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { type KeyboardEvent, useEffect, useId, useRef, useState, useTransition } from "react";
import { SnippetText } from "@/components/search/SnippetText";
import Link from "@/components/ui/Link";
import type { SearchResult } from "@/server/search/service";

/**
 * The search field of the signed-in header. Without JavaScript it is a GET form to the results
 * page; with it, "/" or Ctrl/Cmd+K focuses it (not while typing in another field), a few results
 * per group appear as you type (`search.query` with `fetch` alone, no tRPC client: this is on
 * every signed-in page), arrows move through them and Escape leaves.
 */

const MIN = 2;
const DEBOUNCE_MS = 250;
// Superjson sends dates as strings in `json`; the header shows none.
type Result = Omit<SearchResult, "groups"> & {
  groups: (Omit<SearchResult["groups"][number], "hits"> & {
    hits: Omit<SearchResult["groups"][number]["hits"][number], "at">[];
  })[];
};
type State =
  | { status: "idle" }
  | { status: "loading"; result: Result | null }
  | { status: "done"; result: Result }
  | { status: "error"; message: string };

const TEXT_INPUTS = new Set([
  "checkbox",
  "radio",
  "button",
  "submit",
  "reset",
  "range",
  "color",
  "file",
  "image",
]);

/** Whether the key goes to a field the person is typing in (where "/" is a character). */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement) return !TEXT_INPUTS.has(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

async function fetchResults(q: string, signal: AbortSignal): Promise<Result> {
  const input = encodeURIComponent(JSON.stringify({ json: { q, limit: 5 } }));
  const response = await fetch(`/api/trpc/search.query?input=${input}`, { signal });
  const body = (await response.json()) as {
    result?: { data?: { json?: Result } };
    error?: { json?: { message?: string } };
  };
  const result = body.result?.data?.json;
  if (!result) throw new Error(body.error?.json?.message ?? "Search did not answer.");
  return result;
}

export function HeaderSearch() {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const [q, setQ] = useState("");
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<State>({ status: "idle" });
  const [navigating, startNavigation] = useTransition();
  const router = useRouter();
  const term = q.trim();

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const slash = e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey;
      const k = e.key.toLowerCase() === "k" && (e.ctrlKey || e.metaKey) && !e.altKey;
      if ((!slash && !k) || e.defaultPrevented || typingIn(e.target)) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => {
    if (term.length < MIN) {
      setState({ status: "idle" });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ status: "loading", result: s.status === "done" ? s.result : null }));
    const timer = setTimeout(() => {
      fetchResults(term, controller.signal).then(
        (result) => setState({ status: "done", result }),
        (error: unknown) => {
          if (controller.signal.aborted) return;
          setState({
            status: "error",
            message:
              error instanceof TypeError
                ? "We could not reach Kindred. Press Enter to search on a page."
                : String((error as Error).message),
          });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [term]);

  const links = () => [...(panel.current?.querySelectorAll<HTMLAnchorElement>("a") ?? [])];
  const leave = () => {
    setOpen(false);
    input.current?.blur();
  };
  const onFieldKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Escape") {
      e.preventDefault();
      leave();
    } else if (e.key === "ArrowDown" && open) {
      e.preventDefault();
      links()[0]?.focus();
    }
  };
  const onPanelKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const all = links();
    const at = all.indexOf(document.activeElement as HTMLAnchorElement);
    if (e.key === "Escape") {
      e.preventDefault();
      setOpen(false);
      input.current?.focus();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const next = at + (e.key === "ArrowDown" ? 1 : -1);
      if (next < 0) input.current?.focus();
      else all[Math.min(next, all.length - 1)]?.focus();
    }
  };

  const result = state.status === "done" || state.status === "loading" ? state.result : null;
  const groups = result?.groups.filter((g) => g.hits.length > 0) ?? [];
  const showPanel = open && term.length >= MIN;
  const all = `/search?q=${encodeURIComponent(term)}`;
  const status =
    term.length < MIN
      ? ""
      : state.status === "error"
        ? state.message
        : !result
          ? "Searching…"
          : result.total === 0
            ? `No results for “${term}”.`
            : `${result.total} ${result.total === 1 ? "result" : "results"} shown.`;

  return (
    <search
      aria-label="Search Kindred"
      className="relative order-last w-full sm:order-none sm:w-auto sm:max-w-sm sm:flex-1"
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <form
        action="/search"
        method="get"
        aria-busy={navigating}
        onSubmit={(e) => {
          // With JavaScript the results page opens as a client navigation (the field's pending
          // state shows meanwhile); without it, this is a plain GET.
          e.preventDefault();
          setOpen(false);
          startNavigation(() => router.push(all));
        }}
      >
        <label htmlFor={`${id}-q`} className="sr-only">
          Search
        </label>
        <input
          ref={input}
          id={`${id}-q`}
          type="search"
          name="q"
          value={q}
          maxLength={100}
          autoComplete="off"
          placeholder="Search"
          aria-keyshortcuts="/ Control+K Meta+K"
          aria-describedby={`${id}-hint`}
          className={`field min-h-10 ${navigating ? "pr-24" : "pr-10"}`}
          onChange={(e) => {
            setQ(e.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onKeyDown={onFieldKey}
        />
        {navigating ? (
          <span className="pointer-events-none absolute top-2.5 right-2 text-xs text-muted">
            Searching…
          </span>
        ) : (
          !q && (
            <span
              aria-hidden="true"
              className="pointer-events-none absolute top-2 right-2 hidden rounded border border-line px-1.5 text-xs text-muted sm:block"
            >
              /
            </span>
          )
        )}
        <span id={`${id}-hint`} className="sr-only">
          Press slash or Control K to come here from anywhere.
        </span>
        <p className="sr-only" aria-live="polite">
          {navigating ? "Searching…" : showPanel ? status : ""}
        </p>
        {showPanel && (
          // biome-ignore lint/a11y/noStaticElementInteractions: arrow keys move between the links inside
          <div
            ref={panel}
            id={`${id}-results`}
            onKeyDown={onPanelKey}
            className="absolute right-0 left-0 z-30 mt-1 max-h-[70vh] overflow-y-auto rounded-xl border border-line bg-card p-2 text-left shadow-lg sm:w-[28rem] sm:left-auto"
          >
            {groups.map((g) => (
              <div key={g.key} className="mb-2">
                <p
                  id={`${id}-${g.key}`}
                  className="px-2 pt-1 text-xs font-semibold text-muted uppercase"
                >
                  {g.label}
                </p>
                <ul aria-labelledby={`${id}-${g.key}`}>
                  {g.hits.map((h) => (
                    <li key={h.id}>
                      <Link
                        href={h.href}
                        onClick={() => setOpen(false)}
                        className="block rounded-lg px-2 py-1.5 text-sm hover:bg-brand-soft focus:bg-brand-soft"
                      >
                        <span className="block truncate font-medium text-ink">{h.title}</span>
                        {h.snippet ? (
                          <span className="line-clamp-2 block text-muted">
                            <SnippetText snippet={h.snippet} />
                          </span>
                        ) : h.excerpt ? (
                          <span className="line-clamp-2 block text-muted">{h.excerpt}</span>
                        ) : null}
                      </Link>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
            {status && groups.length === 0 && (
              <p className="px-2 py-1.5 text-sm text-muted">{status}</p>
            )}
            <Link
              href={all}
              onClick={() => setOpen(false)}
              className="block rounded-lg px-2 py-1.5 text-sm font-medium text-brand underline hover:bg-brand-soft"
            >
              See all results for “{term}”
            </Link>
          </div>
        )}
      </form>
    </search>
  );
}

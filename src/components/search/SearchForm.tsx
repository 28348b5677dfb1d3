"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { buttonClass, inputClass } from "@/components/ui/styles";

/**
 * The results page's form: a plain GET form to /search (so it works without JavaScript); with
 * JavaScript the search runs as a client navigation and the button says so meanwhile.
 */
export function SearchForm(props: { q: string; max: number; invalid: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <form
      action="/search"
      method="get"
      aria-busy={pending}
      onSubmit={(e) => {
        const q = String(new FormData(e.currentTarget).get("q") ?? "");
        e.preventDefault();
        startTransition(() => router.push(`/search?q=${encodeURIComponent(q)}`));
      }}
      className="card mb-6"
    >
      <label htmlFor="search-q" className="mb-1.5 block text-sm font-semibold">
        Search for
      </label>
      <div className="flex flex-wrap gap-2">
        <input
          id="search-q"
          type="search"
          name="q"
          defaultValue={props.q}
          maxLength={props.max}
          aria-describedby={props.invalid ? "search-problem" : undefined}
          className={`${inputClass(props.invalid)} min-w-0 flex-1`}
        />
        <button type="submit" disabled={pending} className={buttonClass("primary")}>
          {pending ? "Searching…" : "Search"}
        </button>
      </div>
      {pending && (
        <p role="status" className="sr-only">
          Searching…
        </p>
      )}
    </form>
  );
}

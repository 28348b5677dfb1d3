"use client";

import { buttonClass } from "@/components/ui/styles";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <main
      id="main"
      className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-16"
      role="alert"
    >
      <h1 className="font-serif text-3xl">Something went wrong</h1>
      <p className="mt-3 text-muted">
        Nothing you wrote is lost. Please try again; if it keeps happening, tell the people who run
        this Kindred{error.digest ? ` and mention code ${error.digest}` : ""}.
      </p>
      <p className="mt-6">
        <button type="button" onClick={reset} className={buttonClass("primary")}>
          Try again
        </button>
      </p>
    </main>
  );
}

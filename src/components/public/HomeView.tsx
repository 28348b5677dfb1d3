import { PublicHeader } from "@/components/shell/PublicHeader";
import Link from "@/components/ui/Link";
import { buttonClass, cardClass } from "@/components/ui/styles";

const FEATURES = [
  {
    title: "Answer, then answer again",
    body: "Deep prompts you come back to after some days. See side by side what changed in how you see your people and yourself.",
  },
  {
    title: "Private by default",
    body: "Your journal and your community map are yours alone. You choose, answer by answer, what your coach or cohort may see.",
  },
  {
    title: "Small steps, kept",
    body: "A first step today, a check-in later, and gentle nudges that follow your depth, not your logins — never twice.",
  },
];

/** The home page; the same for every anonymous visitor, so it is also prerendered (see /prerendered). */
export function HomeView({ signedIn, demo }: { signedIn: boolean; demo: boolean }) {
  return (
    <>
      <PublicHeader signedIn={signedIn} demo={demo} />
      <main id="main" className="mx-auto max-w-5xl px-4 pb-16">
        <section className="py-12 sm:py-20">
          <p className="text-sm font-semibold uppercase tracking-wide text-accent">
            Community, on purpose
          </p>
          <h1 className="mt-3 max-w-3xl font-serif text-4xl leading-tight text-ink sm:text-5xl">
            Build the community you want the way you would build anything that matters: honestly,
            step by step.
          </h1>
          <p className="mt-5 max-w-2xl text-lg text-muted">
            Kindred hosts coached reflection programs and cohorts. Members look honestly at who is
            in their life, who they miss and what stops them reaching out — and then keep showing
            up.
          </p>
          <div className="mt-8 flex flex-wrap gap-3">
            <Link href={signedIn ? "/dashboard" : "/signin"} className={buttonClass("primary")}>
              {signedIn ? "Open Kindred" : "Sign in or join"}
            </Link>
          </div>
        </section>
        <section aria-labelledby="why" className="grid gap-4 sm:grid-cols-3">
          <h2 id="why" className="sr-only">
            Why Kindred
          </h2>
          {FEATURES.map((f) => (
            <article key={f.title} className={cardClass}>
              <h3 className="font-serif text-xl text-ink">{f.title}</h3>
              <p className="mt-2 text-muted">{f.body}</p>
            </article>
          ))}
        </section>
      </main>
      <footer className="mx-auto max-w-5xl px-4 pb-10 text-sm text-muted">
        <Link href="/privacy" className="underline">
          Privacy: what Kindred keeps about you, and for how long
        </Link>
      </footer>
    </>
  );
}

import Link from "@/components/ui/Link";
import { ProgressBar } from "../ui/ProgressBar";
import { buttonClass } from "../ui/styles";

/**
 * The parts of the member's step page that the coach's preview shows too, so that the preview
 * is the player itself: the trail, the progress row, the body and the step navigation.
 * Server components; the body arrives as HTML from src/lib/markdown.ts (rendered on the server).
 */

export function StepTrail(props: { items: { label: string; href?: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm">
      <ol className="flex flex-wrap gap-1 text-muted">
        {props.items.map((item, i) => (
          <li key={item.href ?? item.label}>
            {item.href ? (
              <Link href={item.href} className="text-brand underline">
                {item.label}
              </Link>
            ) : (
              item.label
            )}
            {i < props.items.length - 1 && " /"}
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function StepProgress(props: { done: number; total: number; index: number; count: number }) {
  return (
    <ProgressBar
      done={props.done}
      total={props.total}
      label={`Step ${props.index} of ${props.count}`}
    />
  );
}

export function StepBody(props: { html: string }) {
  if (!props.html) return null;
  return (
    // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered by src/lib/markdown.ts (raw HTML off, allow-listed output)
    <div className="md max-w-prose" dangerouslySetInnerHTML={{ __html: props.html }} />
  );
}

export type StepNext =
  | { kind: "step"; href: string; title: string }
  | { kind: "later"; title: string; opens: string }
  | { kind: "end"; href: string; label: string };

export function StepNav(props: { prevHref: string | null; next: StepNext }) {
  const next = props.next;
  return (
    <nav
      aria-label="Steps"
      className="flex flex-wrap justify-between gap-3 border-t border-line pt-4"
    >
      {props.prevHref ? (
        <Link href={props.prevHref} className={buttonClass("secondary")}>
          ← Previous step
        </Link>
      ) : (
        <span />
      )}
      {next.kind === "later" ? (
        <p className="self-center text-sm text-muted">
          Next: {next.title}, opens {next.opens}.
        </p>
      ) : next.kind === "step" ? (
        <Link href={next.href} className={buttonClass("primary")}>
          Next: {next.title} →
        </Link>
      ) : (
        <Link href={next.href} className={buttonClass("primary")}>
          {next.label}
        </Link>
      )}
    </nav>
  );
}

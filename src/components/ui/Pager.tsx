import Link from "@/components/ui/Link";
import { buttonClass } from "./styles";

/** "Newest" and "Older" links of one paged list (nothing when there is one page). */
export function Pager(props: { what: string; newest: string | null; older: string | null }) {
  if (!props.newest && !props.older) return null;
  return (
    <nav aria-label={`Pages of ${props.what}`} className="mt-4 flex flex-wrap gap-3">
      {props.newest && (
        <Link href={props.newest} className={buttonClass("secondary")}>
          Newest<span className="sr-only"> {props.what}</span>
        </Link>
      )}
      {props.older && (
        <Link href={props.older} className={buttonClass("secondary")}>
          Older<span className="sr-only"> {props.what}</span>
        </Link>
      )}
    </nav>
  );
}

import { DeleteComment } from "./SpaceActions";

/**
 * One comment of a cohort's post: who wrote it, when (worded by the server in the reader's zone),
 * the remove button for its author and the cohort's coaches, and its Markdown. The feed's latest
 * comments (PostList, a client list) and the post's page of all of them (a server page) both
 * render it, each in its own frame.
 */
export function CommentContent(props: {
  id: string;
  author: string;
  /** The instant (ISO) and how the reader's zone words it. */
  at: [iso: string, label: string];
  canDelete: boolean;
  /** Rendered by src/lib/markdown.ts (raw HTML off, allow-listed output). */
  bodyHtml: string;
}) {
  return (
    <>
      <p className="flex flex-wrap items-baseline gap-2 text-sm">
        <span className="font-semibold">{props.author}</span>
        <time dateTime={props.at[0]} className="text-xs text-muted">
          {props.at[1]}
        </time>
        {props.canDelete && <DeleteComment commentId={props.id} />}
      </p>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: rendered by src/lib/markdown.ts (raw HTML off, allow-listed output) */}
      <div className="md" dangerouslySetInnerHTML={{ __html: props.bodyHtml }} />
    </>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { trpc, useCall } from "../providers/trpc-client";
import { Notice } from "../ui/Notice";
import { buttonClass } from "../ui/styles";
import { useSave } from "./useSave";

/** Publish (with every problem listed), archive / unarchive, duplicate. */
export function ProgramActions(props: {
  id: string;
  title: string;
  status: "DRAFT" | "PUBLISHED" | "ARCHIVED";
}) {
  const router = useRouter();
  const save = useSave();
  const publish = useCall(trpc.programs.publish.mutate);
  const archive = useCall(trpc.programs.archive.mutate);
  const unarchive = useCall(trpc.programs.unarchive.mutate);
  const duplicate = useCall(trpc.programs.duplicate.mutate);
  const problems = save.lists.publish ?? [];

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {props.status !== "ARCHIVED" && (
          <button
            type="button"
            className={buttonClass("primary")}
            disabled={save.busy}
            onClick={() =>
              save.run(
                () => publish.mutateAsync({ id: props.id }),
                props.status === "PUBLISHED" ? "Checked and republished." : "Published.",
              )
            }
          >
            {props.status === "PUBLISHED" ? "Check and republish" : "Publish"}
          </button>
        )}
        {props.status === "ARCHIVED" ? (
          <button
            type="button"
            className={buttonClass("secondary")}
            disabled={save.busy}
            onClick={() =>
              save.run(() => unarchive.mutateAsync({ id: props.id }), "Back to draft.")
            }
          >
            Unarchive (back to draft)
          </button>
        ) : (
          <button
            type="button"
            className={buttonClass("secondary")}
            disabled={save.busy}
            onClick={() => {
              if (
                window.confirm(
                  `Archive “${props.title}”? Members can no longer open it; their answers stay in their journals.`,
                )
              )
                void save.run(() => archive.mutateAsync({ id: props.id }), "Archived.");
            }}
          >
            Archive
          </button>
        )}
        <button
          type="button"
          className={buttonClass("secondary")}
          disabled={save.busy}
          onClick={async () => {
            const copy = await save.run(() => duplicate.mutateAsync({ id: props.id }));
            if (copy) router.push(`/coach/programs/${copy.id}`);
          }}
        >
          Duplicate
        </button>
      </div>
      {problems.length > 0 ? (
        <Notice tone="danger" role="alert">
          <p className="font-semibold">{save.error}</p>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Notice>
      ) : save.error ? (
        <Notice tone="danger" role="alert">
          {save.error}
        </Notice>
      ) : (
        <p role="status" className="min-h-5 text-sm text-brand-dark">
          {save.ok}
        </p>
      )}
    </div>
  );
}

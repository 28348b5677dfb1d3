"use client";

import clsx from "clsx";
import { type ReactNode, useRef, useState } from "react";
import { trpc, useCall } from "../providers/trpc-client";
import { Notice } from "../ui/Notice";
import { buttonClass } from "../ui/styles";
import { useSave } from "./useSave";

type Item = {
  id: string;
  label: string;
  content: ReactNode;
  /** Compact lists: shown under the row at full width (a module's steps in the outline). */
  below?: ReactNode;
};

const moveButton = clsx(buttonClass("secondary"), "min-w-11 px-2 py-1 text-xs");
// 32 px targets (WCAG 2.5.8 asks for 24): the outline lists many rows in a narrow column.
const compactButton =
  "inline-flex size-8 shrink-0 items-center justify-center rounded-md border border-line bg-card text-xs font-semibold text-ink hover:bg-brand-soft disabled:cursor-not-allowed disabled:opacity-40";

/**
 * An ordered list that can be rearranged by dragging its handle (HTML5 drag and drop) or with
 * Move up / Move down buttons. The server refuses an order built on a stale list.
 */
export function Sortable(props: {
  kind: "modules" | "steps" | "exercises";
  parentId: string;
  label: string;
  items: Item[];
  /** The editor's outline: handle and buttons in one row beside the item, smaller. */
  compact?: boolean;
}) {
  const reorder = useCall(trpc.programs.reorder.mutate);
  const save = useSave();
  const serverIds = props.items.map((i) => i.id);
  const serverKey = serverIds.join(",");
  // The optimistic order holds until the server's list changes (after refresh).
  const [local, setLocal] = useState<{ base: string; ids: string[] } | null>(null);
  const ids = local && local.base === serverKey ? local.ids : serverIds;
  const byId = new Map(props.items.map((i) => [i.id, i]));
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const [announce, setAnnounce] = useState("");
  const listRef = useRef<HTMLOListElement>(null);
  const dragType = `application/x-kindred-${props.kind}`;

  async function commit(next: string[], movedId: string) {
    setLocal({ base: serverKey, ids: next });
    const label = byId.get(movedId)?.label ?? "Item";
    setAnnounce(`“${label}” moved to position ${next.indexOf(movedId) + 1} of ${next.length}.`);
    const done = await save.run(() =>
      reorder.mutateAsync({ parentId: props.parentId, kind: props.kind, orderedIds: next }),
    );
    if (!done) setLocal(null);
  }

  function move(id: string, to: number, focus?: "up" | "down") {
    const from = ids.indexOf(id);
    if (from < 0 || to < 0 || to >= ids.length || from === to) return;
    const next = [...ids];
    next.splice(from, 1);
    next.splice(to, 0, id);
    void commit(next, id);
    if (focus) {
      // Keep the keyboard where it was; at either end the other button is the one left.
      const edge = (focus === "up" && to === 0) || (focus === "down" && to === next.length - 1);
      const which = edge ? (focus === "up" ? "down" : "up") : focus;
      requestAnimationFrame(() =>
        listRef.current?.querySelector<HTMLButtonElement>(`[data-move="${id}-${which}"]`)?.focus(),
      );
    }
  }

  return (
    <div className="space-y-2">
      {save.error && (
        <Notice tone="danger" role="alert">
          {save.error}
        </Notice>
      )}
      <p className="sr-only" role="status">
        {announce}
      </p>
      <ol
        ref={listRef}
        aria-label={props.label}
        className={props.compact ? "space-y-1" : "space-y-3"}
      >
        {ids.map((id, index) => {
          const item = byId.get(id);
          if (!item) return null;
          const controls = (
            <div
              className={
                props.compact
                  ? "flex shrink-0 items-center gap-1"
                  : "flex shrink-0 flex-col items-center gap-1 pt-1"
              }
            >
              <span
                draggable
                title={`Drag to move “${item.label}”`}
                aria-hidden="true"
                onDragStart={(e) => {
                  e.stopPropagation();
                  e.dataTransfer.setData(dragType, id);
                  e.dataTransfer.effectAllowed = "move";
                  const row = e.currentTarget.closest("li");
                  if (row) e.dataTransfer.setDragImage(row, 16, 16);
                  setDragging(id);
                }}
                onDragEnd={() => {
                  setDragging(null);
                  setOver(null);
                }}
                className={clsx(
                  "flex cursor-grab select-none items-center justify-center text-muted hover:bg-brand-soft active:cursor-grabbing",
                  props.compact ? "size-8 rounded-md" : "min-h-11 min-w-11 rounded-lg text-lg",
                )}
              >
                ⠿
              </span>
              <button
                type="button"
                data-move={`${id}-up`}
                aria-label={`Move up: ${item.label}`}
                disabled={index === 0}
                onClick={() => move(id, index - 1, "up")}
                className={props.compact ? compactButton : moveButton}
              >
                <span aria-hidden="true">↑</span>
              </button>
              <button
                type="button"
                data-move={`${id}-down`}
                aria-label={`Move down: ${item.label}`}
                disabled={index === ids.length - 1}
                onClick={() => move(id, index + 1, "down")}
                className={props.compact ? compactButton : moveButton}
              >
                <span aria-hidden="true">↓</span>
              </button>
            </div>
          );
          return (
            <li
              key={id}
              onDragOver={(e) => {
                if (!dragging || !e.dataTransfer.types.includes(dragType)) return;
                e.preventDefault();
                e.stopPropagation();
                e.dataTransfer.dropEffect = "move";
                setOver(id);
              }}
              onDrop={(e) => {
                if (!dragging || !e.dataTransfer.types.includes(dragType)) return;
                e.preventDefault();
                e.stopPropagation();
                move(dragging, index);
                setDragging(null);
                setOver(null);
              }}
              className={clsx(
                "rounded-xl",
                !props.compact && "flex gap-2",
                dragging === id && "opacity-50",
                over === id && dragging !== id && "outline-2 outline-dashed outline-brand",
              )}
            >
              {props.compact ? (
                <>
                  <div className="flex items-start gap-1">
                    <div className="min-w-0 flex-1">{item.content}</div>
                    {controls}
                  </div>
                  {item.below}
                </>
              ) : (
                <>
                  {controls}
                  <div className="min-w-0 flex-1">{item.content}</div>
                </>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

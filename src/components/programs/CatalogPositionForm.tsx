"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { buttonClass, inputClass } from "../ui/styles";

/**
 * A program's place in the members' catalog: a number, lower first; programs with the same
 * number show newest first. Saved on its own, so it works from the programs list.
 */
export function CatalogPositionForm(props: { id: string; title: string; position: number }) {
  const router = useRouter();
  const save = useCall(trpc.programs.setCatalogPosition.mutate);
  const [value, setValue] = useState(String(props.position));
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const inputId = `catalog-position-${props.id}`;
  const messageId = `${inputId}-message`;
  return (
    <form
      noValidate
      className="flex flex-wrap items-end gap-2"
      aria-label={`Catalog order of ${props.title}`}
      onSubmit={async (event) => {
        event.preventDefault();
        setMessage(null);
        try {
          const position = value.trim() === "" ? Number.NaN : Number(value);
          await save.mutateAsync({ id: props.id, position });
          setMessage({ error: false, text: "Saved." });
          router.refresh();
        } catch (error) {
          const { message, fields } = formErrors(error);
          setMessage({ error: true, text: fields.position ?? message });
        }
      }}
    >
      <div className="space-y-1">
        <label htmlFor={inputId} className="block text-sm font-semibold text-ink">
          Catalog order
        </label>
        <input
          id={inputId}
          type="number"
          inputMode="numeric"
          min={0}
          max={999}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-describedby={messageId}
          aria-invalid={message?.error ? true : undefined}
          className={`${inputClass(Boolean(message?.error))} w-24`}
        />
      </div>
      <button type="submit" className={buttonClass("secondary")} disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save order"}
        <span className="sr-only"> of {props.title}</span>
      </button>
      <p
        id={messageId}
        role="status"
        className={message?.error ? "text-sm font-medium text-danger" : "text-sm text-brand-dark"}
      >
        {message?.text}
      </p>
    </form>
  );
}

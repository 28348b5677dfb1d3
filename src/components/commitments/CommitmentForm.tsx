"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { Notice } from "../ui/Notice";
import { buttonClass, inputClass } from "../ui/styles";
import { TextAreaField } from "../ui/TextAreaField";

export function CommitmentForm(props: { today: string }) {
  const router = useRouter();
  const [text, setText] = useState("");
  const [dueOn, setDueOn] = useState(props.today);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: "success" | "danger"; text: string } | null>(null);
  const create = useCall(trpc.commitments.create.mutate);

  async function save() {
    setErrors({});
    setMessage(null);
    try {
      await create.mutateAsync({ text, dueOn });
      setText("");
      setMessage({ tone: "success", text: "Committed. You can check in when it is due." });
      router.refresh();
    } catch (error) {
      const { message: m, fields } = formErrors(error);
      setErrors(fields);
      setMessage({ tone: "danger", text: m });
    }
  }

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {message && (
        <Notice tone={message.tone} role={message.tone === "danger" ? "alert" : "status"}>
          {message.text}
        </Notice>
      )}
      <TextAreaField
        id="commitment-text"
        label="I will…"
        hint="One small, concrete step."
        error={errors.text}
        rows={2}
        maxLength={1000}
        value={text}
        onChange={setText}
      />
      <Field id="commitment-due" label="By" error={errors.dueOn}>
        {(aria) => (
          <input
            {...aria}
            type="date"
            min={props.today}
            value={dueOn}
            onChange={(e) => setDueOn(e.target.value)}
            className={inputClass(Boolean(errors.dueOn))}
          />
        )}
      </Field>
      <button type="submit" className={buttonClass("primary")} disabled={create.isPending}>
        {create.isPending ? "Saving…" : "Commit"}
      </button>
    </form>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { buttonClass } from "../ui/styles";

export function RemovePerson(props: { personId: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState("");
  const remove = useCall(trpc.community.remove.mutate);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        className={buttonClass("danger")}
        disabled={remove.isPending}
        onClick={async () => {
          if (!window.confirm(`Remove ${props.name} and their reach-out log from your map?`))
            return;
          try {
            await remove.mutateAsync({ id: props.personId });
            router.push("/app/community");
            router.refresh();
          } catch (e) {
            setError(formErrors(e).message);
          }
        }}
      >
        Remove from my map
      </button>
      <span role="alert" className="text-sm text-danger">
        {error}
      </span>
    </div>
  );
}

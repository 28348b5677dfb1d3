"use client";

import { TRPCClientError } from "@trpc/client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formErrors } from "@/lib/trpc-errors";

type State = {
  busy: boolean;
  ok?: string;
  error?: string;
  fields: Record<string, string>;
  /** Every message of every field (publish lists all its problems at once). */
  lists: Record<string, string[]>;
};

/** Runs a mutation, keeps its messages for the form, and re-reads the server page on success. */
export function useSave() {
  const router = useRouter();
  const [state, setState] = useState<State>({ busy: false, fields: {}, lists: {} });

  async function run<T>(action: () => Promise<T>, ok?: string): Promise<T | undefined> {
    setState({ busy: true, fields: {}, lists: {} });
    try {
      const result = await action();
      setState({ busy: false, ok, fields: {}, lists: {} });
      router.refresh();
      return result;
    } catch (error) {
      const { message, fields } = formErrors(error);
      const lists =
        error instanceof TRPCClientError
          ? ((error.data as { fieldErrors?: Record<string, string[]> } | undefined)?.fieldErrors ??
            {})
          : {};
      setState({ busy: false, error: message, fields, lists });
      return undefined;
    }
  }

  return { ...state, run, clear: () => setState({ busy: false, fields: {}, lists: {} }) };
}

import { z } from "zod";
import { integer, text } from "@/lib/input";

/** Shorter queries match almost everything and say nothing; longer ones are not searches. */
export const QUERY_MIN = 2;
export const QUERY_MAX = 100;
/** Results per group: the header shows a few, the results page more. */
export const GROUP_LIMIT_DEFAULT = 5;
export const GROUP_LIMIT_MAX = 20;

export const searchQuery = text({
  label: "The search",
  min: QUERY_MIN,
  max: QUERY_MAX,
  messages: {
    missing: "Type something to search for.",
    min: `Type at least ${QUERY_MIN} characters to search.`,
    max: `A search can be at most ${QUERY_MAX} characters.`,
  },
});

export const searchInput = z.object({
  q: searchQuery,
  limit: integer({
    min: 1,
    max: GROUP_LIMIT_MAX,
    messages: { min: "Ask for at least 1 result.", max: `Ask for at most ${GROUP_LIMIT_MAX}.` },
  }).default(GROUP_LIMIT_DEFAULT),
});

export type SearchInput = z.input<typeof searchInput>;

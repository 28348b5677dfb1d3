/**
 * Reads shared by the queries of one request. The coach's cohort page calls two procedures
 * (`cohorts.manage` and `cohorts.roster`) that each need the cohort, its access check and its
 * program's modules: with this map on the request's context they read them once, not once each.
 *
 * The map lives on the context `createContext` makes for one request (a Server Component render
 * or one HTTP batch); a mutation empties it before and after it runs (see `init.ts`), so no read
 * outlives a write made through the same context. A context without the map (a test's caller)
 * reads every time.
 */
export type RequestReads = Map<string, Promise<unknown>>;

export function readOnce<T>(
  reads: RequestReads | undefined,
  key: string,
  read: () => Promise<T>,
): Promise<T> {
  if (!reads) return read();
  const known = reads.get(key) as Promise<T> | undefined;
  if (known) return known;
  const fresh = read();
  reads.set(key, fresh);
  return fresh;
}

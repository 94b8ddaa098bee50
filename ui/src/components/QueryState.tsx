import type { ReactNode } from "react";
import { ErrorMessage, Loading } from "./Status";

type ListQuery<T> = { data: T[] | undefined; error: unknown; isPending: boolean };

type Props<T> = {
  query: ListQuery<T>;
  /** Another error to show in the same place (a mutation's), after the query's own. */
  error?: unknown;
  /** Said (muted) when the list is empty; without it an empty list is shown like any other. */
  empty?: ReactNode;
  children: (items: T[]) => ReactNode;
};

/** A list query in place: its error, a loading line while pending, then the empty message or the items. */
export function QueryState<T>({ query, error, empty, children }: Props<T>) {
  return (
    <>
      <ErrorMessage error={query.error ?? error} />
      {query.isPending && <Loading />}
      {query.data && (empty !== undefined && query.data.length === 0 ? <p className="muted">{empty}</p> : children(query.data))}
    </>
  );
}

// Server-side paging under a virtualised list: which pages the visible rows need, and the row at an index.

/** The pages (of `size` rows) that rows first..last (inclusive) fall in; page 0 while the list is empty or unknown. */
export function pagesFor(first: number, last: number, size: number, total: number | undefined): number[] {
  if (!total || last < first) return [0];
  const lastPage = Math.floor((total - 1) / size);
  const from = Math.max(0, Math.floor(first / size));
  const to = Math.min(lastPage, Math.floor(last / size));
  const pages: number[] = [];
  for (let page = from; page <= to; page += 1) pages.push(page);
  return pages;
}

/** The item at a row index, from whichever loaded page holds it (undefined while that page loads). */
export function itemAt<T>(index: number, size: number, pages: ReadonlyMap<number, readonly T[]>): T | undefined {
  return pages.get(Math.floor(index / size))?.[index % size];
}

/** Previous/next paging with "x–y of n"; nothing at all when everything fits on one page. */
export function Pager({
  page,
  pageSize,
  total,
  onPage,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (p: number) => void;
}) {
  if (total <= pageSize) return null;
  const last = Math.max(1, Math.ceil(total / pageSize));
  const from = (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="btn btn-ghost" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ← Previous
      </button>
      <span className="muted">
        {from}–{to} of {total}
      </span>
      <button
        type="button"
        className="btn btn-ghost"
        disabled={page >= last}
        onClick={() => onPage(page + 1)}
      >
        Next →
      </button>
    </nav>
  );
}

// A long list shown a page at a time, so 10,000 rows render as 100 and the panel stays responsive.
import { useState, type ReactElement, type ReactNode } from 'react'

const PAGE = 100

export function PagedList<T>({ items, label, render }: { items: readonly T[]; label: string; render: (item: T) => ReactNode }): ReactElement {
  const [page, setPage] = useState(0)
  const pages = Math.max(1, Math.ceil(items.length / PAGE))
  const current = Math.min(page, pages - 1)
  return (
    <div className="batch-list">
      <ol className="batch-list-items" aria-label={label}>
        {items.slice(current * PAGE, (current + 1) * PAGE).map(render)}
      </ol>
      {pages > 1 && (
        <div className="batch-list-pages">
          <button type="button" className="btn btn-small" onClick={() => setPage(current - 1)} disabled={current === 0}>
            Previous
          </button>
          <span>
            Page {current + 1} of {pages}
          </span>
          <button type="button" className="btn btn-small" onClick={() => setPage(current + 1)} disabled={current === pages - 1}>
            Next
          </button>
        </div>
      )}
    </div>
  )
}

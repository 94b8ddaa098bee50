import { useState, type ReactNode } from "react";
import { Link, useSearchParams } from "react-router";

/** A page's heading, with its actions (buttons, links) to the right. */
export function PageTitle({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-title">
      <h1>{title}</h1>
      {children}
    </div>
  );
}

/** A detail page's breadcrumb back to its list, and its heading (the name and a badge) with its actions. */
export function DetailTitle({ list, name, badge, children }: { list: { to: string; label: string }; name: string; badge?: ReactNode; children?: ReactNode }) {
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={list.to}>{list.label}</Link> / <span>{name}</span>
      </nav>
      <PageTitle
        title={
          <>
            {name}
            {badge}
          </>
        }
      >
        {children}
      </PageTitle>
    </>
  );
}

/** A list page's heading with a button that opens its create form below; `?new` in the URL opens it at once (Home links there). */
export function PageTitleWithForm({ title, action, form }: { title: string; action: string; form: (close: () => void) => ReactNode }) {
  const [search] = useSearchParams();
  const [open, setOpen] = useState(search.has("new"));
  return (
    <>
      <PageTitle title={title}>
        {!open && (
          <button type="button" className="button primary" onClick={() => setOpen(true)}>
            {action}
          </button>
        )}
      </PageTitle>
      {open && form(() => setOpen(false))}
    </>
  );
}

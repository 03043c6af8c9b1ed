// The audit page's filters: a plain GET form (works without JavaScript, the URL can be shared) and the CSV
// export of exactly what the filters select.
import Link from "next/link";
import { auditSearch, type AuditFilter } from "@/lib/audit";

const SELECT = "rounded-md border border-slate-400 bg-white px-2 py-1 text-sm dark:bg-slate-900";

export function AuditFilters({
  filter,
  choices,
}: {
  filter: AuditFilter;
  choices: { environments: { id: string; name: string }[]; actors: string[]; actions: string[] };
}) {
  return (
    <form method="get" action="/audit" aria-label="Filter the audit log" className="flex flex-wrap items-end gap-3">
      <div className="flex flex-col text-sm">
        {/* Labelled by its own word only: a wrapping label would make every option part of the select's name. */}
        <label htmlFor="audit-environment">Environment</label>
        <select id="audit-environment" name="environment" defaultValue={filter.environmentId ?? ""} className={SELECT}>
          <option value="">All environments</option>
          {choices.environments.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col text-sm">
        {/* Labelled by its own word only: a wrapping label would make every option part of the select's name. */}
        <label htmlFor="audit-user">User</label>
        <select id="audit-user" name="user" defaultValue={filter.actor ?? ""} className={SELECT}>
          <option value="">All users</option>
          {choices.actors.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col text-sm">
        {/* Labelled by its own word only: a wrapping label would make every option part of the select's name. */}
        <label htmlFor="audit-action">Action</label>
        <select id="audit-action" name="action" defaultValue={filter.action ?? ""} className={SELECT}>
          <option value="">All actions</option>
          {choices.actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="rounded-md bg-blue-700 px-4 py-1.5 text-sm font-medium text-white hover:bg-blue-800">
        Filter
      </button>
      {filter.environmentId || filter.actor || filter.action ? (
        <Link className="text-sm underline" href="/audit">
          Clear filters
        </Link>
      ) : null}
      <a className="ml-auto text-sm underline" href={`/audit/export.csv${auditSearch(filter)}`} download>
        Export these entries as CSV
      </a>
    </form>
  );
}

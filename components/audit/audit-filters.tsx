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
      <FilterSelect id="audit-environment" label="Environment" name="environment" value={filter.environmentId} all="All environments" options={choices.environments.map((e) => [e.id, e.name])} />
      <FilterSelect id="audit-user" label="User" name="user" value={filter.actor} all="All users" options={choices.actors.map((a) => [a, a])} />
      <FilterSelect id="audit-action" label="Action" name="action" value={filter.action} all="All actions" options={choices.actions.map((a) => [a, a])} />
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

/** One filter: "all" first, then each [value, text] choice. */
function FilterSelect({ id, label, name, value, all, options }: { id: string; label: string; name: string; value?: string | null; all: string; options: [string, string][] }) {
  return (
    <div className="flex flex-col text-sm">
      {/* Labelled by its own word only: a wrapping label would make every option part of the select's name. */}
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value ?? ""} className={SELECT}>
        <option value="">{all}</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

// The settings of an environment grouped like the wizard's pages, every field with its human label and its
// value in words (lib/config/settings-labels.ts); with `editBase`, each group links to its page to change it.
// The raw value stays in data-value for tests and for anyone comparing with the stored settings.
import Link from "next/link";
import { SETTINGS_GROUPS, showSetting } from "@/lib/config/settings-labels";

export function SettingsSummary({ values, editBase }: { values: Record<string, unknown>; editBase?: string }) {
  return (
    <div className="flex flex-col gap-4">
      {SETTINGS_GROUPS.map((g) => (
        <section key={g.page} aria-labelledby={`summary-group-${g.page}`} className="rounded-md border border-slate-300 p-3 dark:border-slate-700">
          <div className="mb-2 flex items-baseline justify-between gap-3">
            <h2 id={`summary-group-${g.page}`} className="font-semibold">
              {g.title}
            </h2>
            {editBase ? (
              <Link className="text-sm underline" href={`${editBase}/${g.page}`} aria-label={`Edit ${g.title}`}>
                Edit
              </Link>
            ) : null}
          </div>
          <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[minmax(12rem,max-content)_1fr]">
            {g.lines.map((line) => {
              const raw = values[line.key];
              return (
                <div key={line.key} className="contents">
                  <dt className="font-medium text-slate-700 dark:text-slate-300">{line.label}</dt>
                  <dd
                    className="break-all"
                    data-testid={`summary-${line.key}`}
                    data-value={dataValue(raw)}
                  >
                    {showSetting(line, values)}
                  </dd>
                </div>
              );
            })}
          </dl>
        </section>
      ))}
    </div>
  );
}

/** The stored value, short ones only (a pasted CA bundle is described, not repeated). */
function dataValue(raw: unknown): string {
  const text = raw === undefined || raw === null ? "" : typeof raw === "object" ? JSON.stringify(raw) : String(raw);
  return text.length <= 200 ? text : "";
}

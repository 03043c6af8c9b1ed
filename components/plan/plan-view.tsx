// The plan: per step, what it reads and every AWS call or SQL statement with create / update / unchanged and its
// exact document, as the admin reviews it (a saved plan: data only). A change that only serves another (a
// temporary membership granted and revoked inside the grants' transaction) is shown inside the change it serves,
// as the summary counts it: part of that change, not a change of its own.
import type { PlanData } from "@/lib/steps/plan";
import { CodeBlock } from "@/components/ui/code-block";

type PlannedChange = PlanData["steps"][number]["changes"][number];

const ACTION_STYLE: Record<string, string> = {
  create: "bg-green-100 text-green-900",
  update: "bg-amber-100 text-amber-900",
  unchanged: "bg-slate-200 text-slate-900",
  adopt: "bg-purple-100 text-purple-900",
  delete: "bg-red-100 text-red-900",
  deferred: "bg-blue-100 text-blue-900",
};

/** How each action reads in a badge. */
const ACTION_LABEL: Record<string, string> = { deferred: "checked when applied" };

/** A teardown plan's rows that delete nothing are what it keeps. */
const TEARDOWN_LABEL: Record<string, string> = { unchanged: "kept" };

function ChangeRow({ c, nested, labels = ACTION_LABEL }: { c: PlannedChange; nested?: PlannedChange[]; labels?: Record<string, string> }) {
  return (
    <li className="text-sm" data-testid="plan-change" data-change-id={c.id} data-action={c.action} data-serves={c.serves}>
      <div className="flex flex-wrap items-center gap-2">
        <span className={`rounded px-2 py-0.5 text-xs font-semibold ${ACTION_STYLE[c.action]}`}>{labels[c.action] ?? c.action}</span>
        <code>{c.call}</code>
        <span>{c.resource}</span>
        {c.reason ? <span className="text-slate-700 dark:text-slate-300">— {c.reason}</span> : null}
      </div>
      {c.warnings?.map((w) => (
        <p key={w} className="mt-1 text-amber-800 dark:text-amber-300">
          ⚠ {w}
        </p>
      ))}
      {c.needs.length && c.action !== "unchanged" ? <p className="mt-1 text-xs text-slate-700 dark:text-slate-300">needs {c.needs.join(", ")}</p> : null}
      {c.document ? (
        <details className="mt-1">
          <summary className="cursor-pointer text-blue-800 underline dark:text-blue-300">{c.language === "sql" ? "SQL" : "Document"}</summary>
          <CodeBlock code={c.document} label={`${c.call} ${c.resource}`} />
        </details>
      ) : null}
      {nested?.length ? (
        <div className="mt-2 border-l-2 border-slate-300 pl-3 dark:border-slate-600" data-testid="plan-temporary">
          <p className="text-xs text-slate-700 dark:text-slate-300">
            Temporary, inside this change (granted and revoked in the same transaction; not counted as changes of their own):
          </p>
          <ul className="mt-1 flex flex-col gap-2">
            {nested.map((n) => (
              <ChangeRow key={n.id} c={n} />
            ))}
          </ul>
        </div>
      ) : null}
    </li>
  );
}

export function PlanView({ plan, teardown }: { plan: PlanData; teardown?: boolean }) {
  return (
    <ol className="flex flex-col gap-4" aria-label="Plan">
      {plan.steps
        .filter((s) => s.applies)
        .map((step, i) => {
          const ids = new Set(step.changes.map((c) => c.id));
          const top = step.changes.filter((c) => !c.serves || !ids.has(c.serves));
          const servedBy = (id: string) => step.changes.filter((c) => c.serves === id);
          return (
            <li
              key={step.key}
              data-testid={`plan-step-${step.key}`}
              className="rounded-lg border border-slate-300 bg-white p-4 dark:border-slate-700 dark:bg-slate-900"
            >
              <h3 className="mb-2 font-medium">
                {i + 1}. {step.title}
              </h3>
              {step.blockers.map((b) => (
                <p key={b} role="alert" className="mb-2 text-sm text-red-800 dark:text-red-300">
                  ✘ Blocks the apply: {b}
                </p>
              ))}
              {step.reads.length ? (
                <ul className="mb-2 flex flex-col gap-1 text-sm" aria-label={`${step.title}: reads`}>
                  {step.reads.map((r) => (
                    <li key={`${r.call} ${r.resource}`}>
                      <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-semibold text-slate-900">reads</span> <code>{r.call}</code>{" "}
                      {r.resource}
                      {r.document ? (
                        <details className="mt-1">
                          <summary className="cursor-pointer text-blue-800 underline dark:text-blue-300">{r.language === "sql" ? "SQL" : "Request"}</summary>
                          <CodeBlock code={r.document} label={`${r.call} ${r.resource}`} />
                        </details>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : null}
              {step.changes.length === 0 ? <p className="text-sm">{teardown ? "Nothing to remove." : "Nothing to change."}</p> : null}
              <ul className="flex flex-col gap-2">
                {top.map((c) => (
                  <ChangeRow key={c.id} c={c} nested={servedBy(c.id)} labels={teardown ? TEARDOWN_LABEL : ACTION_LABEL} />
                ))}
              </ul>
            </li>
          );
        })}
    </ol>
  );
}

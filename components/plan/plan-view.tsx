// The plan: per step, every AWS call or SQL statement with create / update / unchanged and its exact document.
import type { Plan } from "@/lib/steps/plan";
import { CodeBlock } from "@/components/ui/code-block";

const ACTION_STYLE: Record<string, string> = {
  create: "bg-green-100 text-green-900",
  update: "bg-amber-100 text-amber-900",
  unchanged: "bg-slate-200 text-slate-900",
  read: "bg-blue-100 text-blue-900",
};

export function PlanView({ plan }: { plan: Plan }) {
  return (
    <ol className="flex flex-col gap-4" aria-label="Plan">
      {plan.steps.map((step, i) => (
        <li key={step.key} data-testid={`plan-step-${step.key}`} className="rounded-lg border border-slate-300 bg-white p-4 dark:border-slate-700 dark:bg-slate-900">
          <h3 className="mb-2 font-medium">
            {i + 1}. {step.title}
          </h3>
          {step.changes.length === 0 ? <p className="text-sm">Nothing to do.</p> : null}
          <ul className="flex flex-col gap-2">
            {step.changes.map((c, j) => (
              <li key={j} className="text-sm" data-testid="plan-change" data-action={c.action}>
                <div className="flex flex-wrap items-center gap-2">
                  <span className={`rounded px-2 py-0.5 text-xs font-semibold ${ACTION_STYLE[c.action]}`}>{c.action}</span>
                  <code>{c.call}</code>
                  <span>{c.resource}</span>
                  {c.reason ? <span className="text-slate-700 dark:text-slate-300">— {c.reason}</span> : null}
                </div>
                {c.warnings?.map((w) => (
                  <p key={w} className="mt-1 text-amber-800 dark:text-amber-300">
                    ⚠ {w}
                  </p>
                ))}
                {c.document ? (
                  <details className="mt-1">
                    <summary className="cursor-pointer text-blue-800 underline dark:text-blue-300">
                      {c.language === "sql" ? "SQL" : c.language === "shell" ? "Command" : "Document"}
                    </summary>
                    <CodeBlock code={c.document} label={`${c.call} ${c.resource}`} />
                  </details>
                ) : null}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

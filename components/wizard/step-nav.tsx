// The wizard's pages as a numbered list: done pages are links, the current one is marked.
import Link from "next/link";
import { WIZARD_STEPS, type WizardStep } from "@/lib/config/environment";

export const WIZARD_TITLES: Record<WizardStep, string> = {
  account: "AWS account and cluster",
  database: "Database",
  storage: "Model storage",
  helm: "Service accounts and Helm",
  review: "Review",
};

export function StepNav({ envId, current, reached }: { envId: string; current: WizardStep; reached: WizardStep }) {
  const reachedIndex = WIZARD_STEPS.indexOf(reached);
  return (
    <nav aria-label="Wizard steps">
      <ol className="flex flex-wrap gap-2 text-sm">
        {WIZARD_STEPS.map((step, i) => {
          const label = `${i + 1}. ${WIZARD_TITLES[step]}`;
          const isCurrent = step === current;
          return (
            <li key={step}>
              {i <= Math.max(reachedIndex, WIZARD_STEPS.indexOf(current)) ? (
                <Link
                  href={`/environments/${envId}/wizard/${step}`}
                  aria-current={isCurrent ? "step" : undefined}
                  className="block rounded-full border border-slate-400 px-3 py-1 aria-[current=step]:border-blue-700 aria-[current=step]:bg-blue-700 aria-[current=step]:text-white"
                >
                  {label}
                </Link>
              ) : (
                <span className="block rounded-full border border-dashed border-slate-400 px-3 py-1 text-slate-700 dark:text-slate-300">{label}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

// A small picture of what will exist after the apply: how pods get roles → the two roles → what each role
// reaches (the database user through RDS IAM authentication, the bucket with its policy), each box marked
// create / update / unchanged with an icon and a word (colour only helps), read from the saved plan's steps.
import type { PlanData } from "@/lib/steps/plan";

type Mark = "create" | "update" | "unchanged" | "deferred" | "blocked";

const MARK: Record<Mark, { icon: string; word: string; style: string }> = {
  create: { icon: "+", word: "create", style: "border-green-700 bg-green-50 text-green-950 dark:bg-green-950 dark:text-green-50" },
  update: { icon: "✎", word: "update", style: "border-amber-700 bg-amber-50 text-amber-950 dark:bg-amber-950 dark:text-amber-50" },
  unchanged: { icon: "✔", word: "unchanged", style: "border-slate-400 bg-slate-50 text-slate-900 dark:bg-slate-800 dark:text-slate-100" },
  deferred: { icon: "?", word: "checked when applied", style: "border-blue-700 bg-blue-50 text-blue-950 dark:bg-blue-950 dark:text-blue-50" },
  blocked: { icon: "✘", word: "blocked", style: "border-red-700 bg-red-50 text-red-950 dark:bg-red-950 dark:text-red-50" },
};

/** What a step will do, as one mark: the strongest of its changes (a temporary change counts with the one it serves). */
export function stepMark(step: PlanData["steps"][number]): Mark {
  if (step.blockers.length) return "blocked";
  const actions = step.changes.filter((c) => !c.serves).map((c) => c.action);
  if (actions.includes("create")) return "create";
  if (actions.some((a) => a === "update" || a === "adopt" || a === "delete")) return "update";
  if (actions.includes("deferred")) return "deferred";
  return "unchanged";
}

function Box({ label, detail, mark, testId }: { label: string; detail?: string; mark: Mark; testId: string }) {
  const m = MARK[mark];
  return (
    <div className={`rounded-md border-2 px-3 py-2 text-sm ${m.style}`} data-testid={testId} data-mark={mark}>
      <div className="font-medium">{label}</div>
      {detail ? <div className="text-xs break-all">{detail}</div> : null}
      <div className="text-xs font-semibold">
        <span aria-hidden="true">{m.icon} </span>
        {m.word}
      </div>
    </div>
  );
}

const Arrow = () => (
  <div aria-hidden="true" className="self-center text-xl text-slate-500">
    →
  </div>
);

export function PlanDiagram({ plan, names }: { plan: PlanData; names: { rdsRole: string; s3Role: string; bucket: string; dbUser: string; database: string } }) {
  const step = (key: string) => plan.steps.find((s) => s.key === key && s.applies);
  const mark = (key: string) => {
    const s = step(key);
    return s ? stepMark(s) : "unchanged";
  };
  const worst = (...keys: string[]): Mark => {
    const order: Mark[] = ["blocked", "create", "update", "deferred", "unchanged"];
    return order.find((m) => keys.some((k) => step(k) && mark(k) === m)) ?? "unchanged";
  };
  const provider = step("pod-identity") ? { key: "pod-identity", label: "EKS Pod Identity" } : { key: "oidc-provider", label: "OIDC provider (IRSA)" };
  return (
    <figure aria-labelledby="diagram-title" className="rounded-lg border border-slate-300 p-4 dark:border-slate-700" data-testid="plan-diagram">
      <figcaption id="diagram-title" className="mb-3 text-sm font-medium">
        What will exist after the apply
      </figcaption>
      <div className="flex flex-wrap items-stretch gap-3">
        <Box label={provider.label} detail="how Studio's pods get their roles" mark={mark(provider.key)} testId="diagram-provider" />
        <Arrow />
        <div className="flex flex-col gap-3">
          <Box label="RDS role" detail={names.rdsRole} mark={mark("rds-role")} testId="diagram-rds-role" />
          <Box label="S3 role" detail={names.s3Role} mark={mark("s3-role")} testId="diagram-s3-role" />
        </div>
        <Arrow />
        <div className="flex flex-col gap-3">
          <Box
            label="Database user"
            detail={`${names.dbUser} in ${names.database} (IAM authentication on RDS)`}
            mark={worst("rds-iam-auth", "db-grants")}
            testId="diagram-db-user"
          />
          <Box label="Bucket" detail={`${names.bucket} with its policy`} mark={worst("s3-bucket", "s3-bucket-policy")} testId="diagram-bucket" />
        </div>
      </div>
    </figure>
  );
}

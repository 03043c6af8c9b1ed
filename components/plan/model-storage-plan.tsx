// The plan's "Models" section: what the storage situation asks for. Nothing to move (already on S3); the retrain
// checklist; or the copy: the Job in full with its download and, when the console may not run it, the exact
// kubectl commands; or the upload from a folder. Rendered from lib/models/storage-plan.ts.
import type { ModelStoragePlan } from "@/lib/models/storage-plan";
import { CodeBlock } from "@/components/ui/code-block";

export function ModelStoragePlanView({ plan, envId }: { plan: ModelStoragePlan; envId: string }) {
  return (
    <section aria-labelledby="models-plan-title" data-testid="models-plan" data-situation={plan.situation} className="flex flex-col gap-3">
      <h2 id="models-plan-title" className="text-lg font-medium">
        Models
      </h2>
      <p className="text-sm" data-testid="models-plan-message">
        {plan.message}
      </p>
      {plan.situation === "retrain" ? (
        <ul className="list-disc pl-5 text-sm" aria-label="Retrain checklist">
          {plan.checklist.map((i) => (
            <li key={i.id}>{i.text}</li>
          ))}
        </ul>
      ) : null}
      {plan.situation === "copy-from-pv" && plan.source === "cluster-job" ? (
        <div className="flex flex-col gap-3" data-testid="copy-job-plan">
          <p className="text-sm">
            Job <code>{plan.job.name}</code> mounts claim <code>{plan.job.input.claimName}</code> read-only (folder{" "}
            <code>{plan.job.input.modelsPathInClaim}</code>), runs as <code>{plan.job.input.serviceAccountName}</code> so it uses the S3 role and
            no keys, and copies each model to <code>s3://{plan.job.input.bucket}/</code>; a model already there with the same size and SHA-256 is
            skipped, so a re-run resumes.{" "}
            <a className="underline" href={`/environments/${envId}/model-copy-job.yaml`} download>
              Download {plan.job.fileName}
            </a>
          </p>
          <CodeBlock code={plan.job.yaml} label={`Kubernetes Job ${plan.job.name}`} />
          {!plan.launchedByConsole ? (
            <ol className="flex flex-col gap-2 text-sm" aria-label="kubectl commands for the copy" data-testid="copy-commands">
              {plan.commands.map((c) => (
                <li key={c.title}>
                  <p className="font-medium">{c.title}</p>
                  <CodeBlock code={c.command} label={c.title} />
                  <p className="text-xs text-slate-700 dark:text-slate-300">{c.why}</p>
                </li>
              ))}
            </ol>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

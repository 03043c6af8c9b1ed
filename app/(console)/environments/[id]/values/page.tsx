// /environments/[id]/values — the Helm values (guide step 4) for download, a merge into an existing file,
// and what to run afterwards.
import { requireUser } from "@/lib/auth/current";
import { getEnvironmentOrThrow, latestPlanFor, valuesSource } from "@/lib/environments";
import { helmCommands, mergedValuesFileName, renderValues, valuesFileName } from "@/lib/helm";
import { CodeBlock } from "@/components/ui/code-block";
import { MergeValues } from "@/components/values/merge-values";
import { previewMerge } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Helm values" };

export default async function ValuesPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireUser(`/environments/${id}/values`);
  const env = await getEnvironmentOrThrow(id);
  const src = valuesSource(env, await latestPlanFor(env.id));
  if (!src.ok)
    return (
      <div className="flex flex-col gap-3">
        <h1 className="text-2xl font-semibold">{env.name}: Helm values</h1>
        <p>{src.reason}</p>
      </div>
    );
  const yaml = renderValues(src.settings, src.arns, src.context);
  const href = `/environments/${id}/values.yaml`;
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">{env.name}: Helm values</h1>
      <section aria-labelledby="values-title" className="flex flex-col gap-2">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="values-title" className="text-lg font-medium">
            {valuesFileName(env.name)}
          </h2>
          <a className="rounded-md bg-blue-700 px-4 py-2 text-sm font-medium text-white hover:bg-blue-800" href={href} download>
            Download values.yaml
          </a>
        </div>
        <CodeBlock code={yaml} label="values.yaml" />
      </section>
      <section aria-labelledby="merge-title" className="flex flex-col gap-2">
        <h2 id="merge-title" className="text-lg font-medium">
          Merge into your values.yaml
        </h2>
        <MergeValues action={previewMerge.bind(null, id)} downloadHref={href} mergedFileName={mergedValuesFileName(env.name)} />
      </section>
      <section aria-labelledby="next-title" className="flex flex-col gap-3">
        <h2 id="next-title" className="text-lg font-medium">
          Then
        </h2>
        {helmCommands(src.settings).map((c) => (
          <div key={c.title} className="flex flex-col gap-1">
            <h3 className="font-medium">{c.title}</h3>
            <p className="text-sm">{c.why}</p>
            <CodeBlock code={c.command} label={c.title} />
          </div>
        ))}
      </section>
    </div>
  );
}

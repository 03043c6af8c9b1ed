// /environments — each Rasa Studio installation the console manages, with its state and last run.
import { requireUser } from "@/lib/auth/current";
import { isAdmin } from "@/lib/auth/roles";
import { listEnvironments, stateOf } from "@/lib/environments";
import { NewEnvironmentForm } from "@/components/environments/new-environment-form";
import { StateBadge } from "@/components/environments/state-badge";
import { RowLink } from "@/components/ui/row-link";
import { Cell, Row, Table } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

export const dynamic = "force-dynamic";
export const metadata = { title: "Environments" };

export default async function EnvironmentsPage() {
  const user = await requireUser("/environments");
  const envs = await listEnvironments();
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Environments</h1>
      {isAdmin(user) ? (
        <section data-testid="admin-controls" className="rounded-lg border border-slate-300 bg-white p-4 dark:border-slate-700 dark:bg-slate-900">
          <NewEnvironmentForm />
        </section>
      ) : null}
      {envs.length === 0 ? (
        <p>No environments yet.{isAdmin(user) ? " Create one (staging first) to start." : ""}</p>
      ) : (
        <Table columns={["Environment", "State", "Region", "Cluster", "Last run"]}>
          {envs.map((e) => {
            const values = e.draft;
            const last = e.lastChange;
            return (
              <Row key={e.id}>
                <Cell>
                  <RowLink href={`/environments/${e.id}`} className="font-medium underline">
                    {e.name}
                  </RowLink>
                </Cell>
                <Cell>
                  <StateBadge state={stateOf(e, last)} testId={`env-state-${e.name}`} />
                </Cell>
                <Cell>{String(values.region ?? "—")}</Cell>
                <Cell>{String(values.clusterName ?? "—")}</Cell>
                <Cell>
                  {last ? (
                    <RowLink href={`/runs/${last.id}`}>
                      <Time value={last.createdAt} />
                    </RowLink>
                  ) : (
                    "—"
                  )}
                </Cell>
              </Row>
            );
          })}
        </Table>
      )}
    </div>
  );
}

// Run history: outcome, who, when and how long; the run id opens the run's page.
import { RowLink } from "@/components/ui/row-link";
import { StateBadge } from "@/components/environments/state-badge";
import { Cell, Row, Table } from "@/components/ui/table";
import { formatDuration, Time } from "@/components/ui/time";

export interface RunRow {
  id: string;
  kind: string;
  status: string;
  actor: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  environment?: { id: string; name: string };
}

export function RunsTable({ runs }: { runs: RunRow[] }) {
  const withEnv = runs.some((r) => r.environment);
  const columns = ["Run", ...(withEnv ? ["Environment"] : []), "Kind", "Outcome", "By", "Started", "Duration"];
  return (
    <Table columns={columns}>
      {runs.map((r) => (
        <Row key={r.id}>
          <Cell>
            <RowLink className="font-mono underline" href={`/runs/${r.id}`}>
              {r.id.slice(-8)}
            </RowLink>
          </Cell>
          {withEnv ? (
            <Cell>
              {r.environment ? (
                <RowLink href={`/environments/${r.environment.id}`}>
                  {r.environment.name}
                </RowLink>
              ) : null}
            </Cell>
          ) : null}
          <Cell>{r.kind}</Cell>
          <Cell>
            <StateBadge state={r.status} testId="run-status" />
          </Cell>
          <Cell>{r.actor}</Cell>
          <Cell>
            <Time value={r.startedAt ?? r.createdAt} />
          </Cell>
          <Cell>{formatDuration(r.finishedAt && r.startedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null)}</Cell>
        </Row>
      ))}
    </Table>
  );
}

// An access run's page: the matrix and map it stored, once it has finished (a running check shows its progress
// above and reloads itself when done).
import { storedMatrix } from "@/lib/access/stored";
import type { RunView } from "@/lib/jobs";
import { AccessMap } from "./access-map";
import { AccessMatrixTable } from "./access-matrix";
import { ProofScope } from "./access-section";
import { RefreshWhileRunning } from "./refresh-while-running";

export function RunAccess({ view }: { view: RunView }) {
  const matrix = storedMatrix(view.steps[0]?.output);
  const finished = view.status !== "queued" && view.status !== "running";
  return (
    <section aria-labelledby="run-access-title" className="flex flex-col gap-3" data-testid="access-section">
      <h2 id="run-access-title" className="text-lg font-medium">
        Who may do what
      </h2>
      <ProofScope />
      {!finished ? (
        <>
          <p className="text-sm">The access matrix appears here when the check has finished.</p>
          <RefreshWhileRunning />
        </>
      ) : matrix ? (
        <>
          <AccessMap matrix={matrix} />
          <AccessMatrixTable matrix={matrix} />
        </>
      ) : (
        <p className="text-sm">No matrix: the check stopped before it could evaluate one (the step&apos;s error says why).</p>
      )}
    </section>
  );
}

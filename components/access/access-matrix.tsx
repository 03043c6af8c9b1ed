// The access matrix as a table: each question, the request asked, the answer with the statement that decided it,
// what the console intends and whether it holds. Rows carry `id="access-row-<id>"`, the map's link targets.
import { describeRef } from "@/lib/access/describe";
import type { AccessMatrix, AccessRow, RowGroup, Verdict } from "@/lib/access/types";

const GROUPS: { group: RowGroup; title: string }[] = [
  { group: "assume", title: "Who can assume the roles" },
  { group: "database", title: "Database login (rds-db:connect)" },
  { group: "storage", title: "Model bucket (S3)" },
  { group: "key", title: "Bucket key (KMS)" },
  { group: "unexpected", title: "Anything else" },
];

const VERDICT: Record<Verdict, { text: string; style: string }> = {
  pass: { text: "as intended", style: "bg-green-100 text-green-900" },
  warn: { text: "warning", style: "bg-amber-100 text-amber-900" },
  fail: { text: "not as intended", style: "bg-red-100 text-red-900" },
};

const INTENT: Record<AccessRow["intent"], string> = {
  allow: "allowed",
  deny: "denied",
  tolerate: "denied (allowed accepted with a warning)",
};

function Row({ row }: { row: AccessRow }) {
  const verdict = VERDICT[row.verdict];
  return (
    <tr id={`access-row-${row.id}`} data-testid="access-row" data-verdict={row.verdict} className="border-b border-slate-200 align-top target:bg-blue-50 dark:border-slate-800 dark:target:bg-blue-950">
      <th scope="row" className="py-2 pr-3 text-left font-normal">
        {row.question}
      </th>
      <td className="py-2 pr-3">
        <code className="break-all">{row.action}</code>
        <div className="break-all text-xs text-slate-700 dark:text-slate-300">{row.resource}</div>
      </td>
      <td className="py-2 pr-3">
        <span className="font-semibold">{row.decision}</span>
        <div className="text-xs text-slate-700 dark:text-slate-300">{row.reason}</div>
      </td>
      <td className="py-2 pr-3 text-xs">
        {row.decidedBy.length ? (
          <ul>
            {row.decidedBy.map((r, i) => (
              <li key={i}>{describeRef(r)}</li>
            ))}
          </ul>
        ) : (
          "—"
        )}
      </td>
      <td className="py-2 pr-3">{INTENT[row.intent]}</td>
      <td className="py-2 pr-3">
        <span className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${verdict.style}`}>{verdict.text}</span>
        {row.note ? <div className="mt-1 text-xs">{row.note}</div> : null}
      </td>
    </tr>
  );
}

export function AccessMatrixTable({ matrix }: { matrix: AccessMatrix }) {
  const { counts } = matrix;
  return (
    <section aria-labelledby="access-matrix-title" className="flex flex-col gap-3" data-testid="access-matrix">
      <h3 id="access-matrix-title" className="font-medium">
        Access matrix: {matrix.ok ? "everything as intended" : "not as intended"}
      </h3>
      <p className="text-sm" data-testid="access-summary">
        {matrix.rows.length} questions: {counts.pass} as intended, {counts.warn} with a warning, {counts.fail} not as intended.
        Identity: {matrix.identity === "irsa" ? "IAM roles for service accounts (IRSA)" : "EKS Pod Identity"}. Evaluated offline from
        the policies read from AWS by {matrix.engine}.
      </p>
      {matrix.findings.length ? (
        <ul aria-label="Findings" className="flex flex-col gap-1 text-sm">
          {matrix.findings.map((f, i) => (
            <li key={i} data-testid="access-finding" data-severity={f.severity} className={f.severity === "fail" ? "text-red-800 dark:text-red-300" : "text-amber-800 dark:text-amber-300"}>
              <span className="font-semibold">{f.severity === "fail" ? "Fails: " : "Warning: "}</span>
              {f.message}
              {f.statement ? ` (${describeRef(f.statement)})` : ""}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">Who may do what: each question, its answer, the statement that decided it, and whether it is intended</caption>
          <thead>
            <tr className="border-b border-slate-300 dark:border-slate-700">
              {["Question", "Request", "Answer", "Decided by", "Intended", "Verdict"].map((c) => (
                <th key={c} scope="col" className="py-2 pr-3">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          {GROUPS.map(({ group, title }) => {
            const rows = matrix.rows.filter((r) => r.group === group);
            if (!rows.length) return null;
            return (
              <tbody key={group}>
                <tr>
                  <th scope="rowgroup" colSpan={6} className="pb-1 pt-4 text-left font-semibold">
                    {title}
                  </th>
                </tr>
                {rows.map((r) => (
                  <Row key={r.id} row={r} />
                ))}
              </tbody>
            );
          })}
        </table>
      </div>
    </section>
  );
}

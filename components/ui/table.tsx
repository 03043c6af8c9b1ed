// The console's tables: column headers with scope, one style for rows and cells.
export function Table({ columns, children }: { columns: readonly string[]; children: React.ReactNode }) {
  return (
    <table className="w-full border-collapse text-left text-sm">
      <thead>
        <tr className="border-b border-slate-300 dark:border-slate-700">
          {columns.map((c) => (
            <th key={c} scope="col" className="py-2 pr-3">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

export function Row({ children }: { children: React.ReactNode }) {
  return <tr className="border-b border-slate-200 align-top dark:border-slate-800">{children}</tr>;
}

export function Cell({ children, className = "" }: { children: React.ReactNode; className?: string }) {
  return <td className={`py-2 pr-3 ${className}`}>{children}</td>;
}

// A warning box: something the admin should read before going on.
export function Warning({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <div role="note" data-testid={testId} className="rounded-md border border-amber-600 bg-amber-50 p-3 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50">
      <p className="font-semibold">{title}</p>
      <div className="mt-1">{children}</div>
    </div>
  );
}

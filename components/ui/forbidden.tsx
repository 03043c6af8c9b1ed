// Shown instead of an admin-only page to a viewer: the server refuses, the page says why.
export function Forbidden({ what = "This page" }: { what?: string }) {
  return (
    <div role="alert" className="rounded-md border border-amber-600 bg-amber-50 p-4 text-amber-900 dark:bg-amber-950 dark:text-amber-100">
      <h1 className="text-lg font-semibold">Admins only</h1>
      <p>{what} needs the admin role. Reviewers can read everything but change nothing.</p>
    </div>
  );
}

// The form-level outcome of a server action, announced to screen readers.
export function FormMessage({ ok, message }: { ok?: boolean; message?: string }) {
  if (!message) return null;
  return (
    <p
      role={ok ? "status" : "alert"}
      className={ok ? "text-sm text-green-800 dark:text-green-400" : "text-sm text-red-700 dark:text-red-400"}
    >
      {message}
    </p>
  );
}

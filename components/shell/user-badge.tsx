// The signed-in user, their role, a link to change their password, and sign-out (a form posting the server
// action, so it works without JS).
import Link from "next/link";
import { signOut } from "@/app/sign-in/actions";
import type { SessionUser } from "@/lib/auth/roles";

export function UserBadge({ user }: { user: SessionUser }) {
  return (
    <div className="flex items-center gap-3 text-sm">
      <span>
        <span className="font-medium" data-testid="current-user">
          {user.username}
        </span>{" "}
        <span className="rounded bg-slate-200 px-2 py-0.5 text-xs uppercase tracking-wide text-slate-800 dark:bg-slate-800 dark:text-slate-200" data-testid="current-role">
          {user.role}
        </span>
      </span>
      <Link href="/account/password" className="underline">
        Change password
      </Link>
      <form action={signOut}>
        <button type="submit" className="rounded-md border border-slate-400 px-3 py-1 hover:bg-slate-100 dark:border-slate-500 dark:hover:bg-slate-800">
          Sign out
        </button>
      </form>
    </div>
  );
}

// The console shell: navigation, the signed-in user and role, sign-out. Each page checks the session itself
// too; this layout's check only decides whether to draw the shell.
import Link from "next/link";
import { Nav } from "@/components/shell/nav";
import { UserBadge } from "@/components/shell/user-badge";
import { requireUser } from "@/lib/auth/current";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2 focus:text-slate-900">
        Skip to content
      </a>
      <header className="border-b border-slate-300 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <div className="flex flex-wrap items-center gap-6">
            <Link href="/environments" className="text-base font-semibold">
              Studio IAM Console
            </Link>
            <Nav />
          </div>
          <UserBadge user={user} />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
    </>
  );
}

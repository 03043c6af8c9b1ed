// The sign-in page. Signed-in users go straight on; a fresh install with no users is sent to setup.
import { redirect } from "next/navigation";
import { db } from "@/lib/db";
import { getCurrentUser } from "@/lib/auth/current";
import { needsSetup } from "@/lib/auth/setup";
import { SignInForm } from "./sign-in-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await getCurrentUser()) redirect("/environments");
  const { next } = await searchParams;
  const firstStart = await needsSetup(db);
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-lg border border-slate-300 bg-white p-8 shadow-sm dark:border-slate-700 dark:bg-slate-900">
      <h1 className="mb-1 text-xl font-semibold">Studio IAM Console</h1>
      <p className="mb-6 text-sm text-slate-700 dark:text-slate-300">Sign in to continue.</p>
      {firstStart ? (
        <p role="status" className="mb-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          No users yet. Open the one-time setup link the server printed at start-up to create the first admin, or set
          CONSOLE_ADMIN_USERNAME and CONSOLE_ADMIN_PASSWORD and restart.
        </p>
      ) : null}
      <SignInForm next={next} />
    </main>
  );
}

// First-admin setup, reachable only with the one-time token the server printed at start-up.
import { redirect } from "next/navigation";
import { db } from "@/lib/db";
import { checkSetupToken, needsSetup } from "@/lib/auth/setup";
import { SetupForm } from "./setup-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Set up" };

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  if (!(await needsSetup(db))) redirect("/sign-in");
  const { token } = await searchParams;
  const valid = checkSetupToken(token);
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-lg border border-slate-300 bg-white p-8 shadow-sm dark:border-slate-700 dark:bg-slate-900">
      <h1 className="mb-1 text-xl font-semibold">Create the first admin</h1>
      {valid ? (
        <>
          <p className="mb-6 text-sm text-slate-700 dark:text-slate-300">This link works once. The admin can add other users afterwards.</p>
          <SetupForm token={token!} />
        </>
      ) : (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          This setup link is missing its token or is no longer valid. Use the link the server printed at start-up; it works once and for 24 hours (a restart prints a new one).
        </p>
      )}
    </main>
  );
}

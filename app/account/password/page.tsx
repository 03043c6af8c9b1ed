// /account/password — change your own password (other sessions end). After an admin's reset every page sends
// the user here first; this page therefore lives outside the console shell, whose check would send them back.
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/current";
import { PasswordForm } from "./password-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Change password" };

export default async function ChangePasswordPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const user = await getCurrentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent("/account/password")}`);
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-lg border border-slate-300 bg-white p-8 shadow-sm dark:border-slate-700 dark:bg-slate-900">
      <h1 className="mb-1 text-xl font-semibold">Change your password</h1>
      {user.mustChangePassword ? (
        <p role="status" className="mb-6 text-sm text-amber-900 dark:text-amber-200">
          An admin reset your password. Choose a new one to continue, {user.username}.
        </p>
      ) : (
        <p className="mb-6 text-sm text-slate-700 dark:text-slate-300">
          Signed in as {user.username}. Your other sessions end when the password changes.{" "}
          <Link className="underline" href="/environments">
            Back to the console
          </Link>
        </p>
      )}
      <PasswordForm next={next} />
    </main>
  );
}

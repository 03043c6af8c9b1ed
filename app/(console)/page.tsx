// / — the console starts at the environments list.
import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/current";

export const dynamic = "force-dynamic";

export default async function Home() {
  await requireUser("/");
  redirect("/environments");
}

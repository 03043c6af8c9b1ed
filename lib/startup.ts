// What the server does once at start-up.
import "server-only";
import { db } from "./db";
import { bootstrapFirstAdmin } from "./auth/setup";
import { seal } from "./auth/seal";
import { sessionSecret } from "./auth/secret";
import { purgeExpiredSessions } from "./auth/sessions";
import { trustedProxies } from "./auth/current";
import { getJobService } from "./jobs/service";

export async function onServerStart(): Promise<void> {
  // A bad SESSION_SECRET fails here, at start, not at the first sign-in.
  seal({ token: "start-up check", exp: Date.now() + 1000 }, sessionSecret());
  // Likewise a malformed CONSOLE_TRUSTED_PROXIES.
  trustedProxies();
  await purgeExpiredSessions(db);

  // Creating the job service recovers at once: runs a dead process left `running` become `interrupted`
  // (resumable, with a log line saying so) before any request reaches them.
  getJobService();

  const port = process.env.PORT || "3000";
  const baseUrl = (process.env.CONSOLE_PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, "");
  const link = await bootstrapFirstAdmin(db, baseUrl);
  if (link) {
    // Printed plainly (not as JSON) so a person starting the console sees it; valid until first use or restart.
    process.stdout.write(`\nNo users yet. Create the first admin (one-time link):\n  ${link}\n\n`);
  }
}

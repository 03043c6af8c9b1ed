// Runs once when the server process starts (not during `next build`): first-admin bootstrap and recovery of
// runs a previous process left running.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { onServerStart } = await import("./lib/startup");
  await onServerStart();
}

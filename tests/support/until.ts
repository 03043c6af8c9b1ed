// Waits in a test until a condition holds (a call reached the double, a viewer got its line), polling every few
// milliseconds; fails naming what it waited for.
export async function until(ok: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// GET /api/health — the one open route: says the process is up, and nothing else.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" });
}

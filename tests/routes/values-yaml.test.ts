// POST /environments/[id]/values.yaml reads at most a little more than the values.yaml cap of its body before
// answering 413 with the field's own message; a normal paste is merged (on a worker thread).
import { describe, expect, it, vi } from "vitest";
import { savePlan } from "@/lib/environments/plans";
import { testSettings, VALID_SETTINGS } from "@/tests/support/settings";
import { routeDbPerTest } from "@/tests/support/route-db";
import { mergeWorkerFromSources } from "@/tests/support/merge-worker";

mergeWorkerFromSources();

vi.mock("@/lib/db", () => import("@/tests/support/route-db").then((m) => m.dbModule));
vi.mock("@/lib/auth/current", () => ({
  userOr401: async () => ({ id: "u1", username: "ada", role: "viewer" }),
}));

const t = routeDbPerTest();

/** An environment with a saved plan that read the account (the role ARNs in the values come from it). */
async function environment() {
  const env = await t.db.environment.create({ data: { name: "staging", settings: JSON.stringify(VALID_SETTINGS) } });
  const facts = { identity: { accountId: "123456789012", partition: "aws", arn: "arn:aws:iam::123456789012:user/ada" } };
  await savePlan(t.db, {
    environmentId: env.id,
    actor: "ada",
    settings: testSettings(),
    facts,
    fingerprint: "test",
    plan: { steps: [], warnings: [] },
  });
  return env;
}

const params = (id: string) => ({ params: Promise.resolve({ id }) });

/** A multipart body of `total` bytes served in 64 KiB chunks, counting how much the server pulled. */
function hugeUpload(total: number) {
  const boundary = "----studio-test-boundary";
  const head = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="existing"\r\n\r\n`);
  const chunk = new TextEncoder().encode(`${"key: value\n".repeat(6000)}`.slice(0, 65536));
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const piece = sent === 0 ? head : chunk;
      sent += piece.byteLength;
      controller.enqueue(piece);
    },
  });
  return { body, boundary, pulled: () => sent };
}

/** A streamed POST of the upload, with extra headers (a declared length). */
function streamedPost(upload: ReturnType<typeof hugeUpload>, headers: Record<string, string> = {}) {
  return new Request("http://console.test/x", {
    method: "POST",
    body: upload.body,
    headers: { "content-type": `multipart/form-data; boundary=${upload.boundary}`, ...headers },
    duplex: "half",
  } as RequestInit);
}

describe("POST values.yaml", () => {
  it("stops reading past the cap and answers 413 naming the field, without a declared length", async () => {
    const env = await environment();
    const upload = hugeUpload(60 * 1024 * 1024);
    const { POST } = await import("@/app/environments/[id]/values.yaml/route");
    const res = await POST(streamedPost(upload), params(env.id));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ field: "existing", error: "Existing values.yaml must be at most 2,000,000 bytes" });
    expect(upload.pulled()).toBeLessThan(2_000_000 + 256 * 1024);
  });

  it("refuses a declared Content-Length over the cap before reading anything", async () => {
    const env = await environment();
    const upload = hugeUpload(60 * 1024 * 1024);
    const { POST } = await import("@/app/environments/[id]/values.yaml/route");
    const res = await POST(streamedPost(upload, { "content-length": String(60 * 1024 * 1024) }), params(env.id));
    expect(res.status).toBe(413);
    expect(upload.pulled()).toBeLessThanOrEqual(65536 * 2);
  });

  it("answers too many lines with the field's message, and merges a normal paste", async () => {
    const env = await environment();
    const { POST } = await import("@/app/environments/[id]/values.yaml/route");
    const many = new FormData();
    many.set("existing", "k: v\n".repeat(10_001));
    const refused = await POST(new Request("http://console.test/x", { method: "POST", body: many }), params(env.id));
    expect(refused.status).toBe(413);
    expect(await refused.json()).toEqual({ field: "existing", error: "Existing values.yaml must be at most 10,000 lines (this one has 10,001)" });

    const normal = new FormData();
    normal.set("existing", "backend:\n  replicaCount: 2\n");
    const merged = await POST(new Request("http://console.test/x", { method: "POST", body: normal }), params(env.id));
    expect(merged.status).toBe(200);
    expect(await merged.text()).toContain("replicaCount: 2");
  });
});

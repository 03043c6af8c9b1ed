// Kubernetes API failures turned into something an operator can act on: what the console was doing, and whether
// the cluster could not be reached, did not know the console (401), or knew it but said no (403).
import { ApiException } from "@kubernetes/client-node";

export type KubeErrorKind = "unreachable" | "unauthorized" | "forbidden" | "not-found" | "conflict" | "timeout" | "other";

export class KubeCallError extends Error {
  readonly kind: KubeErrorKind;
  readonly status?: number;
  /** What was being done, in words: `list pods in namespace rasa`. */
  readonly what: string;

  constructor(what: string, kind: KubeErrorKind, detail: string, status?: number, cause?: unknown) {
    super(`${what}: ${HINTS[kind]}${detail ? ` (${detail})` : ""}`, { cause });
    this.name = "KubeCallError";
    this.what = what;
    this.kind = kind;
    this.status = status;
  }
}

const HINTS: Record<KubeErrorKind, string> = {
  unreachable:
    "the cluster's API server could not be reached (a private endpoint needs the console inside the VPC, or a kubeconfig through a proxy)",
  unauthorized:
    "the cluster does not accept the console's identity (add an EKS access entry for the console's principal, or check the kubeconfig credentials)",
  forbidden: "the console's identity is not allowed to do this in the cluster (see the access policy it needs)",
  "not-found": "not found",
  conflict: "it already exists or was changed meanwhile",
  timeout: "the cluster's API server did not answer in time",
  other: "the cluster's API server answered with an error",
};

/** The `message` of a Kubernetes Status body, when the error carries one. */
function statusMessage(body: unknown): string {
  let b = body;
  if (typeof body === "string") {
    try {
      b = JSON.parse(body);
    } catch {
      return body.slice(0, 300);
    }
  }
  return b && typeof b === "object" && typeof (b as { message?: unknown }).message === "string" ? (b as { message: string }).message : "";
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET", "EAI_AGAIN", "ETIMEDOUT"]);

export function toKubeCallError(what: string, err: unknown): KubeCallError {
  if (err instanceof KubeCallError) return err;
  if (err instanceof ApiException) {
    const code = err.code;
    const kind: KubeErrorKind =
      code === 401 ? "unauthorized" : code === 403 ? "forbidden" : code === 404 ? "not-found" : code === 409 ? "conflict" : "other";
    return new KubeCallError(what, kind, `HTTP ${code}${statusMessage(err.body) ? `: ${statusMessage(err.body)}` : ""}`, code, err);
  }
  const e = err as { code?: string; errno?: string; message?: string; type?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.errno ?? e?.cause?.code;
  if (code && NETWORK_CODES.has(code)) return new KubeCallError(what, "unreachable", code, undefined, err);
  if (typeof code === "string" && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code))
    return new KubeCallError(what, "unreachable", `TLS: ${code}: the server's certificate is not signed by the cluster CA`, undefined, err);
  return new KubeCallError(what, "other", e?.message ?? String(err), undefined, err);
}

export function isKubeNotFound(err: unknown): boolean {
  return (err instanceof KubeCallError && err.kind === "not-found") || (err instanceof ApiException && err.code === 404);
}

/** Default time to wait for one API answer before calling the cluster unreachable. */
export const KUBE_CALL_TIMEOUT_MS = 20_000;

/**
 * Runs one API call with a deadline and an optional cancel signal; failures become KubeCallErrors naming `what`.
 * (The generated client takes no signal; an abandoned request finishes in the background and is ignored.)
 */
export async function kubeCall<T>(what: string, run: () => Promise<T>, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<T> {
  opts.signal?.throwIfAborted();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KubeCallError(what, "timeout", `no answer in ${Math.round((opts.timeoutMs ?? KUBE_CALL_TIMEOUT_MS) / 1000)} s`)), opts.timeoutMs ?? KUBE_CALL_TIMEOUT_MS);
    if (opts.signal) {
      onAbort = () => reject(opts.signal!.reason ?? new DOMException("aborted", "AbortError"));
      opts.signal.addEventListener("abort", onAbort, { once: true });
    }
  });
  try {
    return await Promise.race([run(), guard]);
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw toKubeCallError(what, err);
  } finally {
    clearTimeout(timer);
    if (onAbort) opts.signal?.removeEventListener("abort", onAbort);
  }
}

/** Like kubeCall, but "not found" yields null. */
export async function kubeFind<T>(what: string, run: () => Promise<T>, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<T | null> {
  try {
    return await kubeCall(what, run, opts);
  } catch (err) {
    if (isKubeNotFound(err)) return null;
    throw err;
  }
}

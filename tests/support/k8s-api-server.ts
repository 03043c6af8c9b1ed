/* eslint-disable @typescript-eslint/no-explicit-any -- the double stores whatever JSON the client sends */
// A Kubernetes API server double: a local HTTPS server (self-signed CA made with openssl per test file) that
// speaks the few endpoints the console uses, driven through the real @kubernetes/client-node. It keeps objects
// per namespace, answers with Kubernetes-shaped Status errors, checks the bearer token, enforces a set of
// RBAC rights (view by default) and plays the Job controller when told to (a pod per job, logs, completion).
// Plain Node (no test runner, no console modules), so the browser tests can start one too: ./k8s-api-double.ts
// adds the Vitest wiring and the console's connection to it.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

export interface TlsMaterial {
  cert: string;
  key: string;
  /** base64 of the PEM, as EKS DescribeCluster and kubeconfig carry a CA. */
  caData: string;
}

/** A self-signed certificate for 127.0.0.1 (it is its own CA). */
export function makeTls(): TlsMaterial {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "k8s-double-"));
  try {
    execFileSync(
      "openssl",
      [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
        "-subj", "/CN=k8s-api-double", "-addext", "subjectAltName=IP:127.0.0.1",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
      ],
      { stdio: "pipe" },
    );
    const cert = fs.readFileSync(path.join(dir, "cert.pem"), "utf8");
    return { cert, key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"), caData: Buffer.from(cert).toString("base64") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type Kind = "serviceaccounts" | "deployments" | "pods" | "jobs" | "configmaps";

export interface RequestRecord {
  method: string;
  path: string;
  query: URLSearchParams;
  body?: any;
  contentType?: string;
  authorization?: string;
}

/** `verb resource` or `verb resource/subresource`, with the API group where there is one: `patch deployments.apps`. */
export type Right = string;

export const VIEW_RIGHTS: Right[] = ["get", "list", "watch"].flatMap((v) =>
  ["serviceaccounts", "deployments.apps", "pods", "pods/log", "jobs.batch", "configmaps"].map((r) => `${v} ${r}`),
);
export const EDIT_RIGHTS: Right[] = [...VIEW_RIGHTS, "patch deployments.apps", "create jobs.batch", "delete jobs.batch"];

const GROUP: Record<Kind, string> = { serviceaccounts: "", deployments: "apps", pods: "", jobs: "batch", configmaps: "" };
const KIND_NAME: Record<Kind, string> = {
  serviceaccounts: "ServiceAccount",
  deployments: "Deployment",
  pods: "Pod",
  jobs: "Job",
  configmaps: "ConfigMap",
};

function resourceName(kind: Kind, sub?: string): string {
  const g = GROUP[kind];
  return `${kind}${sub ? `/${sub}` : ""}${g ? `.${g}` : ""}`;
}

export class K8sApiDouble {
  readonly tls: TlsMaterial;
  private server: https.Server | null = null;
  url = "";
  readonly objects = new Map<string, any>(); // `${kind}/${ns}/${name}`
  readonly logs = new Map<string, string>(); // `${ns}/${pod}`
  readonly requests: RequestRecord[] = [];
  rights = new Set<Right>(VIEW_RIGHTS);
  /** Which bearer tokens are accepted; any non-empty one by default. */
  acceptToken: (token: string) => boolean = (t) => t.length > 0;
  private seq = 0;
  /** Creation times for objects put without one: a logical clock, one second apart, so "newest" is well defined. */
  private clock = Date.parse("2026-06-01T00:00:00Z");

  constructor(tls: TlsMaterial = makeTls()) {
    this.tls = tls;
  }

  async start(): Promise<this> {
    this.server = https.createServer({ cert: this.tls.cert, key: this.tls.key }, (req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        try {
          this.handle(req.method ?? "GET", req.url ?? "/", raw, req.headers as Record<string, string>, res);
        } catch (err) {
          this.status(res, 500, "InternalError", (err as Error).message);
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `https://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  grant(...rights: Right[]) {
    for (const r of rights) this.rights.add(r);
  }

  // ---- state ---------------------------------------------------------------------------------------------

  put(kind: Kind, namespace: string, obj: any): any {
    const name = obj.metadata?.name ?? `${obj.metadata?.generateName ?? "obj-"}${(++this.seq).toString(36)}`;
    const stored = {
      apiVersion: GROUP[kind] ? `${GROUP[kind]}/v1` : "v1",
      kind: KIND_NAME[kind],
      ...obj,
      metadata: {
        creationTimestamp: new Date((this.clock += 1000)).toISOString(),
        uid: `uid-${++this.seq}`,
        resourceVersion: String(++this.seq),
        ...obj.metadata,
        name,
        namespace,
      },
    };
    this.objects.set(`${kind}/${namespace}/${name}`, stored);
    return stored;
  }

  get(kind: Kind, namespace: string, name: string): any {
    return this.objects.get(`${kind}/${namespace}/${name}`);
  }

  list(kind: Kind, namespace: string): any[] {
    return [...this.objects.entries()].filter(([k]) => k.startsWith(`${kind}/${namespace}/`)).map(([, v]) => v);
  }

  delete(kind: Kind, namespace: string, name: string) {
    this.objects.delete(`${kind}/${namespace}/${name}`);
  }

  appendLog(namespace: string, pod: string, text: string) {
    this.logs.set(`${namespace}/${pod}`, (this.logs.get(`${namespace}/${pod}`) ?? "") + text);
  }

  /** Plays the Job controller: starts a pod for the job (labelled `job-name`), returns its name. */
  startJobPod(namespace: string, jobName: string): string {
    const job = this.get("jobs", namespace, jobName);
    const podName = `${jobName}-${(++this.seq).toString(36)}`;
    this.put("pods", namespace, {
      metadata: { name: podName, labels: { ...(job.spec.template.metadata?.labels ?? {}), "job-name": jobName, "batch.kubernetes.io/job-name": jobName } },
      spec: job.spec.template.spec,
      status: { phase: "Running", startTime: new Date().toISOString() },
    });
    job.status = { ...(job.status ?? {}), active: 1, startTime: job.status?.startTime ?? new Date().toISOString() };
    return podName;
  }

  /** Plays the Job controller: the job ends with condition Complete or Failed. */
  finishJob(namespace: string, jobName: string, outcome: "Complete" | "Failed", reason?: string, message?: string) {
    const job = this.get("jobs", namespace, jobName);
    const now = new Date().toISOString();
    job.status = {
      ...job.status,
      active: 0,
      ...(outcome === "Complete" ? { succeeded: 1, completionTime: now } : { failed: (job.status?.failed ?? 0) + 1 }),
      conditions: [{ type: outcome, status: "True", reason, message, lastTransitionTime: now }],
    };
    for (const pod of this.list("pods", namespace).filter((p) => p.metadata.labels?.["job-name"] === jobName))
      pod.status.phase = outcome === "Complete" ? "Succeeded" : "Failed";
  }

  calls(method?: string, pathPart?: string): RequestRecord[] {
    return this.requests.filter((r) => (!method || r.method === method) && (!pathPart || r.path.includes(pathPart)));
  }

  // ---- HTTP ----------------------------------------------------------------------------------------------

  private status(res: import("node:http").ServerResponse, code: number, reason: string, message: string) {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code }));
  }

  private json(res: import("node:http").ServerResponse, code: number, body: unknown) {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private allowed(verb: string, resource: string): boolean {
    return this.rights.has(`${verb} ${resource}`);
  }

  private handle(method: string, rawUrl: string, raw: string, headers: Record<string, string>, res: import("node:http").ServerResponse) {
    const url = new URL(rawUrl, "https://double");
    const body = raw ? JSON.parse(raw) : undefined;
    this.requests.push({ method, path: url.pathname, query: url.searchParams, body, contentType: headers["content-type"], authorization: headers.authorization });

    const token = /^Bearer (.+)$/.exec(headers.authorization ?? "")?.[1] ?? "";
    if (!this.acceptToken(token)) return this.status(res, 401, "Unauthorized", "Unauthorized");

    if (method === "POST" && url.pathname === "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews") {
      const a = body.spec.resourceAttributes;
      const resource = `${a.resource}${a.subresource ? `/${a.subresource}` : ""}${a.group ? `.${a.group}` : ""}`;
      const allowed = this.allowed(a.verb, resource);
      return this.json(res, 201, { ...body, status: { allowed, ...(allowed ? {} : { reason: `no RBAC rule allows ${a.verb} ${resource}` }) } });
    }

    const m = /^\/(?:api\/v1|apis\/(apps|batch)\/v1)\/namespaces\/([^/]+)\/(serviceaccounts|deployments|pods|jobs|configmaps)(?:\/([^/]+)(?:\/(log))?)?$/.exec(url.pathname);
    if (!m) return this.status(res, 404, "NotFound", `the server could not find the requested resource (${url.pathname})`);
    const [, , ns, kindRaw, name, sub] = m;
    const kind = kindRaw as Kind;
    const verb =
      method === "GET" ? (name ? "get" : "list") : method === "POST" ? "create" : method === "PATCH" ? "patch" : method === "DELETE" ? "delete" : method.toLowerCase();
    const resource = resourceName(kind, sub);
    if (!this.allowed(verb, resource))
      return this.status(res, 403, "Forbidden", `${kind} is forbidden: User "console" cannot ${verb} resource "${resource}" in the namespace "${ns}"`);

    if (verb === "list") {
      const selector = url.searchParams.get("labelSelector");
      const items = this.list(kind, ns).filter((o) => matches(o.metadata.labels ?? {}, selector));
      return this.json(res, 200, { kind: `${KIND_NAME[kind]}List`, apiVersion: GROUP[kind] ? `${GROUP[kind]}/v1` : "v1", metadata: {}, items });
    }
    if (verb === "create") {
      if (body.metadata?.name && this.get(kind, ns, body.metadata.name))
        return this.status(res, 409, "AlreadyExists", `${kind} "${body.metadata.name}" already exists`);
      return this.json(res, 201, this.put(kind, ns, body));
    }
    const existing = this.get(kind, ns, name);
    if (!existing) return this.status(res, 404, "NotFound", `${kind} "${name}" not found`);
    if (sub === "log") {
      res.writeHead(200, { "content-type": "text/plain" });
      return res.end(this.logs.get(`${ns}/${name}`) ?? "");
    }
    if (verb === "get") return this.json(res, 200, existing);
    if (verb === "patch") {
      merge(existing, body);
      existing.metadata.resourceVersion = String(++this.seq);
      return this.json(res, 200, existing);
    }
    if (verb === "delete") {
      this.delete(kind, ns, name);
      return this.json(res, 200, { kind: "Status", apiVersion: "v1", status: "Success" });
    }
    return this.status(res, 405, "MethodNotAllowed", method);
  }
}

/** `a=b,c=d` equality selectors, the only form the console sends. */
function matches(labels: Record<string, string>, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(",").every((term) => {
    const [k, v] = term.split("=");
    return labels[k] === v;
  });
}

/** JSON merge (what a strategic merge patch does to maps, which is all the console patches). */
function merge(target: any, patch: any) {
  for (const [k, v] of Object.entries(patch)) {
    if (v && typeof v === "object" && !Array.isArray(v) && target[k] && typeof target[k] === "object") merge(target[k], v);
    else target[k] = v;
  }
}


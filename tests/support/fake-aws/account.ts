// An AWS account in memory, answering the SDK clients: the SDK's `send` (aws-sdk-client-mock, prototype level)
// or, per service, a middleware below the SDK's retry (wiring.ts) hands every command to `dispatch`, which
// answers from the JSON state after the faults have had their say. Every call is recorded; `mutatingCalls()`
// is what "a second run changes nothing" is checked with.
//
// The same class serves the unit tests (in memory, steered by method calls) and the browser-test server
// (preload.ts: state kept in a file, steered by the scenario file as well).
import type { CallContext, Handlers } from "./context";
import { eksHandlers, stsHandlers } from "./eks";
import { eksAccessHandlers } from "./eks-access";
import {
  abortError,
  ACCESS_DENIED_CODE,
  connectionError,
  accessDeniedMessage,
  actionOf,
  awsError,
  headError,
  resourceOf,
  SERVER_ERROR_CODE,
  statusOf,
  THROTTLING_CODE,
  type ResponseMetadata,
  type SdkModule,
  type Service,
} from "./errors";
import { FaultTable, wait, type CallFault, type CallFaultPicker, type Fault } from "./faults";
import { iamHandlers } from "./iam";
import { defaultKeyPolicy, kmsHandlers, kmsKeyId } from "./kms";
import { applyPending, rdsHandlers } from "./rds";
import { s3Handlers } from "./s3";
import type { Steering } from "./scenario";
import { importedModules, type SdkModules } from "./sdk-modules";
import {
  EPOCH,
  initialAccount,
  newCluster,
  partitionOf,
  regional,
  type AccountOptions,
  type AccountState,
  type FakeBucket,
  type FakeCluster,
  type FakeDatabase,
  type FakeProvider,
  type RegionState,
} from "./state";
import { RecordMap, RoleView, roleRecordOf, type FakeRole } from "./views";
import { mockService, regionOf, routeService, type AnyStub, type Answer, type SdkClient } from "./wiring";

export const HANDLERS: Record<Service, Handlers> = {
  sts: stsHandlers,
  eks: { ...eksHandlers, ...eksAccessHandlers },
  rds: rdsHandlers,
  iam: iamHandlers,
  s3: s3Handlers,
  kms: kmsHandlers,
};

const MUTATING = /^(Create|Put|Update|Add|Tag|Untag|Modify|Delete|Remove|Attach|Detach|Associate)/;

export interface LoggedCall {
  service: Service;
  command: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's command inputs, as sent
  input: any;
}

/** A mutating call the account accepted (its change is made and saved), with the request id it answered. */
export interface AcceptedCall extends LoggedCall {
  requestId: string;
}

export class FakeAws {
  /** The account, as plain JSON. Replaced (never mutated into another) on reset or reload. */
  state: AccountState;
  /** Every call that reached the fake, in order. */
  readonly log: LoggedCall[] = [];
  /** Calls per command name, for looking into a browser-test server. */
  readonly counts: Record<string, number> = {};
  readonly mocks = new Map<Service, AnyStub>();
  readonly faults = new FaultTable();
  /** Picks a fault for each call as it arrives (mixed-fault runs); the faults it picked, in order. */
  pickFault?: CallFaultPicker;
  readonly picked: { command: string; fault: CallFault }[] = [];
  /** Told of every call that reaches the account (a browser-test server writes them down for the suite to count). */
  onCall?: (call: LoggedCall) => void;
  /** Told of every mutating call the account accepted, after its change is saved (crash trials write it down). */
  onAccepted?: (call: AcceptedCall) => void;
  private readonly hooks = new Map<string, () => void>();
  private readonly undo: (() => void)[] = [];
  private modules: SdkModules = {};
  private steering?: Steering;
  private active = false;

  constructor(private readonly options: AccountOptions = {}) {
    this.state = initialAccount(options);
  }

  // ---- the account at a glance ---------------------------------------------------------------------------

  get account(): string {
    return this.state.accountId;
  }
  get region(): string {
    return this.state.homeRegion;
  }
  get partition(): string {
    return this.state.partition ?? partitionOf(this.region);
  }
  get callerArn(): string {
    return `arn:${this.partition}:iam::${this.account}:user/platform-admin`;
  }

  /** A fresh account made with the same options (what a scenario reset goes back to). */
  initialState(): AccountState {
    return initialAccount(this.options);
  }

  /** A region's EKS clusters, RDS databases and KMS keys (made from the template on first use). */
  regionState(region = this.region): RegionState {
    return regional(this.state, region);
  }

  // ---- views for the unit tests ---------------------------------------------------------------------------

  readonly roles: Map<string, FakeRole> = new RecordMap(() => this.state.roles, (r) => new RoleView(r), roleRecordOf);
  readonly buckets: Map<string, FakeBucket> = new RecordMap(() => this.state.buckets);
  readonly providers: Map<string, FakeProvider> = new RecordMap(() => this.state.oidcProviders);

  /** The home region's cluster the account was made with (studio-eks); null when removed. */
  get cluster(): FakeCluster | null {
    return this.regionState().clusters[this.clusterName] ?? null;
  }
  set cluster(c: { name: string; issuer: string } | null) {
    const clusters = this.regionState().clusters;
    delete clusters[this.clusterName];
    if (c) {
      clusters[c.name] = { ...newCluster(c.name, c.issuer), ...c };
      this.clusterName = c.name;
    }
  }
  private clusterName = "studio-eks";

  /** The database the account was made with (`dbKind`, `dbId`); null when removed. */
  get db(): FakeDatabase | null {
    const { kind, id } = this.state.primaryDb;
    const r = this.regionState();
    return (kind === "instance" ? r.instances : r.dbClusters)[id] ?? null;
  }
  set db(d: FakeDatabase | null) {
    const { kind, id } = this.state.primaryDb;
    const r = this.regionState();
    delete (kind === "instance" ? r.instances : r.dbClusters)[id];
    if (d) {
      (d.kind === "instance" ? r.instances : r.dbClusters)[d.id] = d;
      this.state.primaryDb = { kind: d.kind, id: d.id };
    }
  }

  // ---- test hooks: someone else acting on the account ------------------------------------------------------

  /** Puts a role in the account (as if created by hand), documents as objects. */
  addRole(
    name: string,
    trust: unknown,
    policies: Record<string, unknown> = {},
    tags: Record<string, string> = {},
    opts: { path?: string; attached?: string[]; boundary?: string } = {},
  ) {
    const path = opts.path ?? "/";
    this.state.roles[name] = {
      arn: `arn:${this.partition}:iam::${this.account}:role${path}${name}`,
      trust: encodeURIComponent(JSON.stringify(trust)),
      policies: Object.fromEntries(Object.entries(policies).map(([k, v]) => [k, encodeURIComponent(JSON.stringify(v))])),
      tags: { ...tags },
      path,
      createdAt: EPOCH,
      attached: [...(opts.attached ?? [])],
      ...(opts.boundary ? { boundary: opts.boundary } : {}),
    };
  }

  /** Creates a customer managed policy; returns its ARN. */
  addManagedPolicy(name: string, document: unknown, opts: { path?: string; description?: string } = {}): string {
    const path = opts.path ?? "/";
    const arn = `arn:${this.partition}:iam::${this.account}:policy${path}${name}`;
    this.state.managedPolicies[arn] = {
      name,
      path,
      id: `ANPA${name.toUpperCase().replace(/[^A-Z0-9]/g, "").padEnd(17, "X").slice(0, 17)}`,
      ...(opts.description ? { description: opts.description } : {}),
      createdAt: EPOCH,
      defaultVersion: "v1",
      versions: { v1: { document: JSON.stringify(document), createdAt: EPOCH } },
      tags: {},
    };
    return arn;
  }

  /** Creates a KMS key (optionally with an alias) in a region; returns its id and ARN. */
  addKmsKey(opts: { alias?: string; description?: string; policy?: unknown; region?: string } = {}): { keyId: string; arn: string } {
    const region = opts.region ?? this.region;
    const r = this.regionState(region);
    const keyId = kmsKeyId(`${region}/${Object.keys(r.kmsKeys).length}/${opts.alias ?? ""}`);
    const partition = this.state.partition ?? partitionOf(region);
    r.kmsKeys[keyId] = {
      id: keyId,
      description: opts.description ?? "",
      manager: "CUSTOMER",
      state: "Enabled",
      createdAt: EPOCH,
      policy: opts.policy === undefined ? defaultKeyPolicy(partition, this.account) : JSON.stringify(opts.policy),
    };
    if (opts.alias) r.kmsAliases[opts.alias] = keyId;
    return { keyId, arn: `arn:${partition}:kms:${region}:${this.account}:key/${keyId}` };
  }

  /** A pod identity association made by someone else; returns its id. */
  addPodIdentityAssociation(a: { namespace: string; serviceAccount: string; roleArn: string; cluster?: string; region?: string }): string {
    const c = this.regionState(a.region).clusters[a.cluster ?? this.clusterName];
    if (!c) throw new Error(`fake AWS: no cluster ${a.cluster ?? this.clusterName}`);
    c.associations ??= {};
    const id = `a-${kmsKeyId(`${a.namespace}/${a.serviceAccount}/${Object.keys(c.associations).length}`).replace(/-/g, "").slice(0, 17)}`;
    c.associations[id] = { id, namespace: a.namespace, serviceAccount: a.serviceAccount, roleArn: a.roleArn, createdAt: EPOCH, modifiedAt: EPOCH, tags: {}, disableSessionTags: false };
    return id;
  }

  /** Installs an add-on (e.g. `eks-pod-identity-agent`) as if done by hand, ACTIVE. */
  addAddon(name: string, opts: { version?: string; cluster?: string; region?: string } = {}) {
    const c = this.regionState(opts.region).clusters[opts.cluster ?? this.clusterName];
    if (!c) throw new Error(`fake AWS: no cluster ${opts.cluster ?? this.clusterName}`);
    c.addons ??= {};
    c.addons[name] = { name, version: opts.version ?? "v1.3.4-eksbuild.1", status: "ACTIVE", createdAt: EPOCH, modifiedAt: EPOCH, tags: {} };
  }

  /** Puts an object in a bucket (enough for "is it empty?"); a versioned bucket keeps the old version. */
  putObject(bucket: string, key: string, size = 1024) {
    const b = this.state.buckets[bucket];
    if (!b) throw new Error(`fake AWS: no bucket ${bucket}`);
    b.objects ??= {};
    const old = b.objects[key];
    const versioned = b.versioning === "Enabled";
    if (old && versioned) (b.oldVersions ??= []).push({ key, versionId: old.versionId ?? "null", size: old.size, lastModified: old.lastModified });
    b.objects[key] = { size, lastModified: new Date().toISOString(), ...(versioned ? { versionId: kmsKeyId(`${bucket}/${key}/${Date.now()}/${Math.random()}`).replace(/-/g, "") } : {}) };
  }

  /** Deletes an object as S3 does: in a versioned bucket the version stays, behind a delete marker. */
  deleteObject(bucket: string, key: string) {
    const b = this.state.buckets[bucket];
    const old = b?.objects?.[key];
    if (!b || !old) return;
    delete b.objects![key];
    if (b.versioning) {
      const now = new Date().toISOString();
      (b.oldVersions ??= []).push({ key, versionId: old.versionId ?? "null", size: old.size, lastModified: old.lastModified });
      b.oldVersions.push({ key, versionId: kmsKeyId(`${bucket}/${key}/marker/${now}`).replace(/-/g, ""), size: 0, lastModified: now, deleteMarker: true });
    }
  }

  /** The maintenance window comes: every change waiting in PendingModifiedValues is put into effect. */
  passMaintenanceWindow() {
    for (const r of Object.values(this.state.regions))
      for (const db of [...Object.values(r.instances), ...Object.values(r.dbClusters)]) if (db.status === "available") applyPending(db);
  }

  /** Runs `fn` once, just before the next `command` is answered (someone else acting in between). */
  before(command: string, fn: () => void) {
    this.hooks.set(command, fn);
  }

  // ---- faults ---------------------------------------------------------------------------------------------

  /** Answers the next `times` calls of `command` with the service's throttling error. */
  throttle(command: string, times = 1) {
    this.faults.set(command, { code: "Throttle", remaining: times });
  }

  /** Refuses every call of `command` with AccessDenied naming `action` (S3's terse message with s3Style). */
  deny(command: string, action?: string, opts: { s3Style?: boolean } = {}) {
    this.faults.set(command, { code: "AccessDenied", remaining: Infinity, action, s3Style: opts.s3Style });
  }

  /** Answers the next `times` calls of `command` with `code` (default: the service's HTTP 500 error), worded `message`. */
  fail(command: string, code = "ServerError", times = 1, message?: string) {
    this.faults.set(command, { code, remaining: times, ...(message ? { message } : {}) });
  }

  /** Holds every call of `command` (`*`: all) for `ms` before answering; the call's abortSignal ends it early. */
  delay(command: string, ms: number) {
    this.faults.setDelay(command, ms);
  }

  // ---- assertions -----------------------------------------------------------------------------------------

  calls(command?: string): LoggedCall[] {
    return command ? this.log.filter((c) => c.command === command) : [...this.log];
  }

  mutatingCalls(): LoggedCall[] {
    return this.log.filter((c) => MUTATING.test(c.command));
  }

  clearLog() {
    this.log.length = 0;
  }

  // ---- wiring ---------------------------------------------------------------------------------------------

  /**
   * Mocks `send` of every SDK client class in `modules` (default: the packages as this file imports them) with
   * this account. Command classes and exceptions are taken from those same modules.
   */
  install(modules: SdkModules = importedModules(), opts: { steering?: Steering; trimHistory?: boolean } = {}): this {
    this.modules = modules;
    this.steering = opts.steering;
    this.active = true;
    for (const [service, sdk] of Object.entries(modules) as [Service, SdkModule][])
      this.mocks.set(service, mockService(service, sdk, HANDLERS[service], this.answerer(service), opts));
    return this;
  }

  /**
   * Takes `service` off the mock and answers it from a middleware below the SDK's retry middleware instead,
   * so errors go through the SDK's real retry strategy (the mock replaces `send` and would bypass it).
   */
  routeThroughSdk(service: Service): this {
    const sdk = this.modules[service];
    if (!sdk) throw new Error(`fake AWS: ${service} is not installed`);
    this.mocks.get(service)?.restore();
    this.mocks.delete(service);
    this.undo.push(routeService(service, sdk, HANDLERS[service], this.answerer(service), () => this.active));
    return this;
  }

  private answerer(service: Service): Answer {
    return (name, input, client, signal) => this.dispatch(service, name, input, client, signal);
  }

  restore() {
    this.active = false;
    for (const m of this.mocks.values()) m.restore();
    this.mocks.clear();
    for (const u of this.undo.splice(0).reverse()) u();
  }

  // ---- answering ------------------------------------------------------------------------------------------

  private meta(service: Service, status: number): ResponseMetadata {
    return {
      httpStatusCode: status,
      requestId: `req-${++this.state.seq}`,
      ...(service === "s3" ? { extendedRequestId: `ext-${this.state.seq}` } : {}),
      attempts: 1,
      totalRetryDelay: 0,
    };
  }

  private context(service: Service, region: string): CallContext {
    const sdk = this.modules[service]!;
    const partition = this.state.partition ?? partitionOf(region);
    return {
      state: this.state,
      region,
      partition,
      accountId: this.state.accountId,
      callerArn: `arn:${partition}:iam::${this.state.accountId}:user/platform-admin`,
      error: (code, message, fields) => awsError(sdk, service, code, message, this.meta(service, statusOf(service, code)), fields),
      headError: (status) => headError(sdk, this.meta(service, status)),
      now: () => new Date().toISOString(),
    };
  }

  /** The error a fault answers with, worded as AWS would word it. */
  private faultError(cx: CallContext, service: Service, name: string, input: object, fault: Fault): Error {
    const word: Record<string, string> = { Throttle: THROTTLING_CODE[service], ServerError: SERVER_ERROR_CODE[service], AccessDenied: ACCESS_DENIED_CODE[service] };
    const code = word[fault.code] ?? fault.code;
    if (name === "HeadBucket") return cx.headError(statusOf(service, code));
    if (!/AccessDenied/.test(code)) return cx.error(code, fault.message);
    if (fault.s3Style) return cx.error(code, "Access Denied");
    const action = fault.action ?? actionOf(service, name);
    const resource = resourceOf({ service, partition: cx.partition, region: cx.region, accountId: cx.accountId }, input as Record<string, unknown>);
    return cx.error(code, accessDeniedMessage(cx.callerArn, action, resource));
  }

  /** One call: record it, let steering and faults decide, wait if asked, then answer from the state. */
  async dispatch(service: Service, name: string, input: object, client: SdkClient | undefined, signal: AbortSignal | undefined): Promise<object> {
    const picked = this.pickFault?.({ service, command: name, input });
    if (picked) this.picked.push({ command: name, fault: picked });
    // Reset before the request reached the service: the account never sees the call.
    if (picked === "ConnectionReset") throw connectionError("read ECONNRESET");
    this.log.push({ service, command: name, input });
    this.onCall?.({ service, command: name, input });
    this.counts[name] = (this.counts[name] ?? 0) + 1;
    if (signal?.aborted) throw abortError();
    const region = await regionOf(client, this.region);
    // Reset and one-shot bookkeeping happen when the call arrives; the answer comes after the delay.
    const arrival = this.steering?.arrive(name) ?? { delayMs: 0 };
    const delayMs = arrival.delayMs || this.faults.delayOf(name);
    if (delayMs) await wait(delayMs, signal);
    this.steering?.load();
    try {
      const hook = this.hooks.get(name);
      this.hooks.delete(name);
      hook?.();
      const cx = this.context(service, region);
      const fault = arrival.fault ?? this.faults.take(name) ?? (picked === "Throttle" || picked === "ServerError" ? { code: picked, remaining: 1 } : undefined);
      if (fault) throw this.faultError(cx, service, name, input, fault);
      let output: object;
      try {
        output = { ...HANDLERS[service][name](input, cx), $metadata: this.meta(service, 200) };
      } catch (err) {
        // The service answered with an error, and the answer was lost on the way back.
        if (picked === "LostResponse") throw connectionError("socket hang up");
        throw err;
      }
      if (MUTATING.test(name)) {
        this.steering?.save();
        this.onAccepted?.({ service, command: name, input, requestId: (output as { $metadata: ResponseMetadata }).$metadata.requestId });
      }
      // The service acted on the request; its answer was lost on the way back.
      if (picked === "LostResponse") throw connectionError("socket hang up");
      if (arrival.answerDelayMs) await wait(arrival.answerDelayMs, signal);
      return output;
    } finally {
      this.steering?.save();
    }
  }
}

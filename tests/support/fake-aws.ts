/* eslint-disable @typescript-eslint/no-explicit-any -- the fake answers the SDK's untyped command inputs */
// An in-memory AWS account behind aws-sdk-client-mock: the SDK clients' `send` answers from this state, so a
// step can be applied, applied again, drifted and denied like against a real account. Every call is recorded;
// `mutatingCalls()` is what "a second run changes nothing" is checked with.
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  EntityAlreadyExistsException,
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  IAMServiceException,
  ListOpenIDConnectProvidersCommand,
  ListRolePoliciesCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { DescribeClusterCommand, EKSClient, ResourceNotFoundException } from "@aws-sdk/client-eks";
import {
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  RDSClient,
} from "@aws-sdk/client-rds";
import {
  BucketAlreadyExists,
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  NotFound,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient, type AwsStub } from "aws-sdk-client-mock";
import { afterEach, beforeEach, vi } from "vitest";
import { awsClients, resetAwsClients } from "@/lib/aws/clients";

type Service = "sts" | "eks" | "rds" | "iam" | "s3";
type Handler = (input: any) => object;

export interface FakeRole {
  arn: string;
  /** As IAM returns it: URL-encoded JSON. */
  trust: string;
  policies: Map<string, string>;
  tags: Record<string, string>;
}

export interface FakeBucket {
  owner: string;
  region: string;
  versioning?: "Enabled" | "Suspended";
  encryption?: string;
  publicAccessBlock?: Record<string, boolean>;
  policy?: string;
  tags?: Record<string, string>;
}

export interface FakeDatabase {
  kind: "instance" | "cluster";
  id: string;
  engine: string;
  endpoint: string;
  port: number;
  resourceId: string;
  iamAuth: boolean;
  status: string;
  pending: Record<string, unknown>;
  /** Describe calls after a modify before RDS reports the change applied. */
  pollsUntilApplied: number;
  /** Never finishes applying (for timeouts). */
  stuck?: boolean;
}

const MUTATING = /^(Create|Put|Update|Add|Tag|Modify|Delete|Remove|Attach)/;

export class FakeAws {
  readonly account: string;
  readonly partition: string;
  readonly region: string;
  readonly callerArn: string;
  cluster: { name: string; issuer: string } | null;
  db: FakeDatabase | null;
  readonly providers = new Map<string, { url: string; clientIds: string[]; thumbprints?: string[]; tags: Record<string, string> }>();
  readonly roles = new Map<string, FakeRole>();
  readonly buckets = new Map<string, FakeBucket>();
  /** Command name (`CreateRole`) → the IAM action to name in an AccessDenied answer. */
  readonly denied = new Map<string, { action: string; s3Style: boolean }>();
  /** Command name → how many more calls to answer with a ThrottlingException before the real answer. */
  private readonly throttles = new Map<string, number>();
  /** Every call that reached the fake, in order. */
  readonly log: { service: Service; command: string; input: any }[] = [];
  readonly mocks = new Map<Service, AwsStub<any, any, any>>();
  private seq = 0;

  constructor(opts: { region?: string; account?: string; partition?: string; dbKind?: "instance" | "cluster"; dbId?: string } = {}) {
    this.region = opts.region ?? "eu-west-1";
    this.account = opts.account ?? "111122223333";
    this.partition = opts.partition ?? "aws";
    this.callerArn = `arn:${this.partition}:iam::${this.account}:user/platform-admin`;
    this.cluster = { name: "studio-eks", issuer: `https://oidc.eks.${this.region}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE` };
    const kind = opts.dbKind ?? "instance";
    this.db = {
      kind,
      id: opts.dbId ?? "studio-db",
      engine: kind === "instance" ? "postgres" : "aurora-postgresql",
      endpoint: `${opts.dbId ?? "studio-db"}.abc123.${this.region}.rds.amazonaws.com`,
      port: 5432,
      resourceId: kind === "instance" ? "db-ABCDEFGHIJKLMNOPQRSTUVWXY1" : "cluster-ABCDEFGHIJKLMNOPQRSTUVWX",
      iamAuth: false,
      status: "available",
      pending: {},
      pollsUntilApplied: 2,
    };
  }

  // ---- wiring -------------------------------------------------------------------------------------------

  /** Mocks every SDK client's `send` with this account (aws-sdk-client-mock, prototype level). */
  install(): this {
    const table: [Service, any, [any, string, Handler][]][] = [
      ["sts", STSClient, [[GetCallerIdentityCommand, "GetCallerIdentity", () => this.getCallerIdentity()]]],
      ["eks", EKSClient, [[DescribeClusterCommand, "DescribeCluster", (i) => this.describeCluster(i)]]],
      [
        "rds",
        RDSClient,
        [
          [DescribeDBInstancesCommand, "DescribeDBInstances", (i) => this.describeDb("instance", i.DBInstanceIdentifier)],
          [DescribeDBClustersCommand, "DescribeDBClusters", (i) => this.describeDb("cluster", i.DBClusterIdentifier)],
          [ModifyDBInstanceCommand, "ModifyDBInstance", (i) => this.modifyDb("instance", i.DBInstanceIdentifier, i)],
          [ModifyDBClusterCommand, "ModifyDBCluster", (i) => this.modifyDb("cluster", i.DBClusterIdentifier, i)],
        ],
      ],
      ["iam", IAMClient, this.iamHandlers()],
      ["s3", S3Client, this.s3Handlers()],
    ];
    for (const [service, Client, handlers] of table) {
      const mock = mockClient(Client);
      for (const [Command, name, handler] of handlers) mock.on(Command).callsFake((input: any) => this.answer(service, name, input, handler));
      this.mocks.set(service, mock);
    }
    this.handlers = new Map(table.flatMap(([service, , hs]) => hs.map(([, name, h]) => [`${service}:${name}`, h] as const)));
    return this;
  }

  private handlers = new Map<string, Handler>();

  /**
   * Takes `service` off the mock and answers it from a middleware below the SDK's retry middleware instead,
   * so errors go through the SDK's real retry strategy (the mock replaces `send` and would bypass it).
   */
  routeThroughSdk(service: Service): this {
    this.mocks.get(service)?.restore();
    this.mocks.delete(service);
    const client = awsClients(this.region)[service] as { middlewareStack: { add(mw: unknown, opts: unknown): void } };
    client.middlewareStack.add(
      (_next: unknown, context: { commandName?: string }) => async (args: { input: any }) => {
        const name = (context.commandName ?? "").replace(/Command$/, "");
        const handler = this.handlers.get(`${service}:${name}`);
        if (!handler) throw new Error(`fake AWS: no handler for ${service}:${name}`);
        const output = await this.answer(service, name, args.input, handler);
        return { output, response: { statusCode: 200, headers: {} } };
      },
      { step: "deserialize", priority: "high", name: "fakeAwsTransport" },
    );
    return this;
  }

  restore() {
    for (const m of this.mocks.values()) m.restore();
    this.mocks.clear();
  }

  private meta(status = 200) {
    return { httpStatusCode: status, requestId: `req-${++this.seq}`, attempts: 1, totalRetryDelay: 0 };
  }

  private readonly hooks = new Map<string, () => void>();

  /** Runs `fn` once, just before the next `command` is answered (someone else acting in between). */
  before(command: string, fn: () => void) {
    this.hooks.set(command, fn);
  }

  private async answer(service: Service, name: string, input: any, handler: Handler) {
    this.log.push({ service, command: name, input });
    const hook = this.hooks.get(name);
    this.hooks.delete(name);
    hook?.();
    const throttled = this.throttles.get(name) ?? 0;
    if (throttled > 0) {
      this.throttles.set(name, throttled - 1);
      const err = new IAMServiceException({ name: "ThrottlingException", $fault: "client", $metadata: this.meta(400), message: "Rate exceeded" });
      Object.assign(err, { $retryable: { throttling: true } });
      throw err;
    }
    const denied = this.denied.get(name);
    if (denied) {
      const message = denied.s3Style
        ? "Access Denied"
        : `User: ${this.callerArn} is not authorized to perform: ${denied.action} on resource: * because no identity-based policy allows the ${denied.action} action`;
      throw new IAMServiceException({ name: "AccessDenied", $fault: "client", $metadata: this.meta(403), message });
    }
    return { ...handler(input), $metadata: this.meta() };
  }

  // ---- assertions -----------------------------------------------------------------------------------------

  calls(command?: string) {
    return command ? this.log.filter((c) => c.command === command) : [...this.log];
  }

  mutatingCalls() {
    return this.log.filter((c) => MUTATING.test(c.command));
  }

  clearLog() {
    this.log.length = 0;
  }

  /** Answers the next `times` calls of `command` with a ThrottlingException (`$retryable.throttling`). */
  throttle(command: string, times = 1) {
    this.throttles.set(command, times);
  }

  deny(command: string, action: string, opts: { s3Style?: boolean } = {}) {
    this.denied.set(command, { action, s3Style: opts.s3Style ?? false });
  }

  // ---- errors ---------------------------------------------------------------------------------------------

  private err(Exception: any, message: string, status: number) {
    return new Exception({ message, $metadata: this.meta(status) });
  }

  private s3err(name: string, status: number, message = name) {
    return new S3ServiceException({ name, $fault: "client", $metadata: this.meta(status), message });
  }

  // ---- STS, EKS, RDS --------------------------------------------------------------------------------------

  private getCallerIdentity() {
    return { Account: this.account, Arn: this.callerArn, UserId: "AIDAEXAMPLE" };
  }

  private describeCluster(input: { name: string }) {
    if (!this.cluster || this.cluster.name !== input.name)
      throw this.err(ResourceNotFoundException, `No cluster found for name: ${input.name}.`, 404);
    return { cluster: { name: this.cluster.name, status: "ACTIVE", identity: { oidc: { issuer: this.cluster.issuer } } } };
  }

  private findDb(kind: "instance" | "cluster", id: string) {
    if (!this.db || this.db.kind !== kind || this.db.id !== id)
      throw kind === "instance"
        ? this.err(DBInstanceNotFoundFault, `DBInstance ${id} not found.`, 404)
        : this.err(DBClusterNotFoundFault, `DBCluster ${id} not found.`, 404);
    return this.db;
  }

  private describeDb(kind: "instance" | "cluster", id: string) {
    const db = this.findDb(kind, id);
    if (db.status === "modifying" && !db.stuck && --db.pollsUntilApplied <= 0) {
      db.status = "available";
      db.iamAuth = true;
      db.pending = {};
    }
    if (kind === "instance")
      return {
        DBInstances: [
          {
            DBInstanceIdentifier: db.id,
            Engine: db.engine,
            DBInstanceStatus: db.status,
            Endpoint: { Address: db.endpoint, Port: db.port },
            DbiResourceId: db.resourceId,
            IAMDatabaseAuthenticationEnabled: db.iamAuth,
            PendingModifiedValues: { ...db.pending },
          },
        ],
      };
    return {
      DBClusters: [
        {
          DBClusterIdentifier: db.id,
          Engine: db.engine,
          Status: db.status,
          Endpoint: db.endpoint,
          Port: db.port,
          DbClusterResourceId: db.resourceId,
          IAMDatabaseAuthenticationEnabled: db.iamAuth,
          PendingModifiedValues: { ...db.pending },
        },
      ],
    };
  }

  private modifyDb(kind: "instance" | "cluster", id: string, input: { EnableIAMDatabaseAuthentication?: boolean; ApplyImmediately?: boolean }) {
    const db = this.findDb(kind, id);
    if (input.EnableIAMDatabaseAuthentication && input.ApplyImmediately) db.status = "modifying";
    return {};
  }

  // ---- IAM -------------------------------------------------------------------------------------------------

  private providerArn(url: string) {
    return `arn:${this.partition}:iam::${this.account}:oidc-provider/${url.replace(/^https:\/\//, "")}`;
  }

  private role(name: string) {
    const r = this.roles.get(name);
    if (!r) throw this.err(NoSuchEntityException, `The role with name ${name} cannot be found.`, 404);
    return r;
  }

  /** Puts a role in the account (as if created by hand), documents as objects. */
  addRole(name: string, trust: unknown, policies: Record<string, unknown> = {}, tags: Record<string, string> = {}) {
    this.roles.set(name, {
      arn: `arn:${this.partition}:iam::${this.account}:role/${name}`,
      trust: encodeURIComponent(JSON.stringify(trust)),
      policies: new Map(Object.entries(policies).map(([k, v]) => [k, encodeURIComponent(JSON.stringify(v))])),
      tags: { ...tags },
    });
  }

  private iamHandlers(): [any, string, Handler][] {
    return [
      [
        ListOpenIDConnectProvidersCommand,
        "ListOpenIDConnectProviders",
        () => ({ OpenIDConnectProviderList: [...this.providers.keys()].map((Arn) => ({ Arn })) }),
      ],
      [
        GetOpenIDConnectProviderCommand,
        "GetOpenIDConnectProvider",
        (i) => {
          const p = this.providers.get(i.OpenIDConnectProviderArn);
          if (!p) throw this.err(NoSuchEntityException, "OpenIDConnect Provider not found", 404);
          return { Url: p.url.replace(/^https:\/\//, ""), ClientIDList: [...p.clientIds], ThumbprintList: p.thumbprints ?? [] };
        },
      ],
      [
        CreateOpenIDConnectProviderCommand,
        "CreateOpenIDConnectProvider",
        (i) => {
          const arn = this.providerArn(i.Url);
          if (this.providers.has(arn)) throw this.err(EntityAlreadyExistsException, "Provider exists", 409);
          this.providers.set(arn, { url: i.Url, clientIds: [...i.ClientIDList], thumbprints: i.ThumbprintList, tags: tagsOf(i.Tags) });
          return { OpenIDConnectProviderArn: arn };
        },
      ],
      [
        AddClientIDToOpenIDConnectProviderCommand,
        "AddClientIDToOpenIDConnectProvider",
        (i) => {
          const p = this.providers.get(i.OpenIDConnectProviderArn);
          if (!p) throw this.err(NoSuchEntityException, "OpenIDConnect Provider not found", 404);
          if (!p.clientIds.includes(i.ClientID)) p.clientIds.push(i.ClientID);
          return {};
        },
      ],
      [
        GetRoleCommand,
        "GetRole",
        (i) => {
          const r = this.role(i.RoleName);
          return { Role: { RoleName: i.RoleName, Arn: r.arn, AssumeRolePolicyDocument: r.trust, Tags: tagList(r.tags) } };
        },
      ],
      [ListRolePoliciesCommand, "ListRolePolicies", (i) => ({ PolicyNames: [...this.role(i.RoleName).policies.keys()], IsTruncated: false })],
      [
        GetRolePolicyCommand,
        "GetRolePolicy",
        (i) => {
          const doc = this.role(i.RoleName).policies.get(i.PolicyName);
          if (!doc) throw this.err(NoSuchEntityException, `The role policy with name ${i.PolicyName} cannot be found.`, 404);
          return { RoleName: i.RoleName, PolicyName: i.PolicyName, PolicyDocument: doc };
        },
      ],
      [
        CreateRoleCommand,
        "CreateRole",
        (i) => {
          if (this.roles.has(i.RoleName)) throw this.err(EntityAlreadyExistsException, `Role with name ${i.RoleName} already exists.`, 409);
          JSON.parse(i.AssumeRolePolicyDocument);
          this.addRole(i.RoleName, JSON.parse(i.AssumeRolePolicyDocument), {}, tagsOf(i.Tags));
          return { Role: { RoleName: i.RoleName, Arn: this.roles.get(i.RoleName)!.arn } };
        },
      ],
      [
        UpdateAssumeRolePolicyCommand,
        "UpdateAssumeRolePolicy",
        (i) => {
          this.role(i.RoleName).trust = encodeURIComponent(JSON.stringify(JSON.parse(i.PolicyDocument)));
          return {};
        },
      ],
      [
        PutRolePolicyCommand,
        "PutRolePolicy",
        (i) => {
          this.role(i.RoleName).policies.set(i.PolicyName, encodeURIComponent(JSON.stringify(JSON.parse(i.PolicyDocument))));
          return {};
        },
      ],
      [
        TagRoleCommand,
        "TagRole",
        (i) => {
          Object.assign(this.role(i.RoleName).tags, tagsOf(i.Tags));
          return {};
        },
      ],
    ];
  }

  // ---- S3 --------------------------------------------------------------------------------------------------

  private bucket(name: string): FakeBucket {
    const b = this.buckets.get(name);
    if (!b) throw this.s3err("NoSuchBucket", 404, "The specified bucket does not exist");
    if (b.owner !== this.account) throw this.s3err("AccessDenied", 403, "Access Denied");
    return b;
  }

  private s3Handlers(): [any, string, Handler][] {
    return [
      [
        HeadBucketCommand,
        "HeadBucket",
        (i) => {
          const b = this.buckets.get(i.Bucket);
          if (!b) throw new NotFound({ message: "NotFound", $metadata: this.meta(404) });
          if (i.ExpectedBucketOwner && i.ExpectedBucketOwner !== b.owner) throw this.s3err("Forbidden", 403, "Forbidden");
          return { BucketRegion: b.region };
        },
      ],
      [
        CreateBucketCommand,
        "CreateBucket",
        (i) => {
          const constraint = i.CreateBucketConfiguration?.LocationConstraint;
          if (this.region === "us-east-1" && constraint)
            throw this.s3err("InvalidLocationConstraint", 400, "The specified location-constraint is not valid");
          if (this.region !== "us-east-1" && constraint !== this.region)
            throw this.s3err("IllegalLocationConstraintException", 400, `The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.`);
          const b = this.buckets.get(i.Bucket);
          if (b && b.owner === this.account) throw this.s3err("BucketAlreadyOwnedByYou", 409);
          if (b) throw new BucketAlreadyExists({ message: "The requested bucket name is not available", $metadata: this.meta(409) });
          this.buckets.set(i.Bucket, { owner: this.account, region: this.region });
          return { Location: `/${i.Bucket}` };
        },
      ],
      [GetBucketLocationCommand, "GetBucketLocation", (i) => ({ LocationConstraint: this.bucket(i.Bucket).region === "us-east-1" ? undefined : this.bucket(i.Bucket).region })],
      [GetBucketVersioningCommand, "GetBucketVersioning", (i) => ({ Status: this.bucket(i.Bucket).versioning })],
      [
        GetBucketEncryptionCommand,
        "GetBucketEncryption",
        (i) => {
          const enc = this.bucket(i.Bucket).encryption;
          if (!enc) throw this.s3err("ServerSideEncryptionConfigurationNotFoundError", 404);
          return { ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: enc } }] } };
        },
      ],
      [
        GetPublicAccessBlockCommand,
        "GetPublicAccessBlock",
        (i) => {
          const pab = this.bucket(i.Bucket).publicAccessBlock;
          if (!pab) throw this.s3err("NoSuchPublicAccessBlockConfiguration", 404);
          return { PublicAccessBlockConfiguration: { ...pab } };
        },
      ],
      [
        GetBucketPolicyCommand,
        "GetBucketPolicy",
        (i) => {
          const policy = this.bucket(i.Bucket).policy;
          if (!policy) throw this.s3err("NoSuchBucketPolicy", 404, "The bucket policy does not exist");
          return { Policy: policy };
        },
      ],
      [
        GetBucketTaggingCommand,
        "GetBucketTagging",
        (i) => {
          const tags = this.bucket(i.Bucket).tags;
          if (!tags) throw this.s3err("NoSuchTagSet", 404, "The TagSet does not exist");
          return { TagSet: tagList(tags) };
        },
      ],
      [PutBucketTaggingCommand, "PutBucketTagging", (i) => ((this.bucket(i.Bucket).tags = tagsOf(i.Tagging.TagSet)), {})],
      [PutBucketVersioningCommand, "PutBucketVersioning", (i) => ((this.bucket(i.Bucket).versioning = i.VersioningConfiguration.Status), {})],
      [
        PutBucketEncryptionCommand,
        "PutBucketEncryption",
        (i) => ((this.bucket(i.Bucket).encryption = i.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm), {}),
      ],
      [
        PutPublicAccessBlockCommand,
        "PutPublicAccessBlock",
        (i) => ((this.bucket(i.Bucket).publicAccessBlock = { ...i.PublicAccessBlockConfiguration }), {}),
      ],
      [
        PutBucketPolicyCommand,
        "PutBucketPolicy",
        (i) => {
          const doc = JSON.parse(i.Policy) as { Statement: { Principal?: { AWS?: string } | string }[] };
          // S3 refuses a principal it does not know; roles must exist first.
          for (const s of doc.Statement) {
            const p = typeof s.Principal === "object" ? s.Principal.AWS : undefined;
            if (p && ![...this.roles.values()].some((r) => r.arn === p)) throw this.s3err("MalformedPolicy", 400, "Invalid principal in policy");
          }
          this.bucket(i.Bucket).policy = i.Policy;
          return {};
        },
      ],
    ];
  }
}

function tagsOf(list: { Key: string; Value: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((t) => [t.Key, t.Value]));
}

function tagList(tags: Record<string, string>) {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}


/**
 * Per-test wiring: dummy credentials (only the SDK-routed path signs requests), 1 ms retry delays, fresh shared
 * clients, and a fresh fake account installed before each test and removed after it.
 */
export function fakeAwsPerTest(make: () => FakeAws = () => new FakeAws()) {
  const state: { fake: FakeAws } = { fake: null as unknown as FakeAws };
  beforeEach(() => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "secret");
    vi.stubEnv("AWS_RETRY_DELAY_MS", "1");
    vi.stubEnv("AWS_ENDPOINT_URL", "");
    resetAwsClients();
    state.fake = make().install();
  });
  afterEach(() => {
    state.fake.restore();
    resetAwsClients();
    vi.unstubAllEnvs();
  });
  return {
    get fake() {
      return state.fake;
    },
    /** Swaps in another account (other region or partition) for this test. */
    replace(next: FakeAws): FakeAws {
      state.fake.restore();
      state.fake = next.install();
      return state.fake;
    },
  };
}

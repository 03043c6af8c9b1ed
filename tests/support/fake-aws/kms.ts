// KMS answers, enough for "the bucket's key": keys and aliases per region, DescribeKey by id, ARN or alias (the
// AWS managed alias/aws/s3 key is made on first DescribeKey, as KMS does), GetKeyPolicy, and CreateKey /
// CreateAlias / ListAliases so a test can make its own key through the SDK.
import type {
  CreateAliasCommandInput,
  CreateKeyCommandInput,
  CreateKeyCommandOutput,
  DescribeKeyCommandInput,
  DescribeKeyCommandOutput,
  GetKeyPolicyCommandInput,
  GetKeyPolicyCommandOutput,
  KeyMetadata,
  ListAliasesCommandInput,
  ListAliasesCommandOutput,
} from "@aws-sdk/client-kms";
import { idFrom, type Answer, type CallContext, type Handlers } from "./context";
import { regional, type FakeKmsKey, type RegionState } from "./state";

/** A key id in KMS's UUID format, derived from `seed`. */
export function kmsKeyId(seed: string): string {
  const h = idFrom(seed, 32, "0123456789abcdef");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The policy KMS gives a key created without one: the account may use it through IAM policies. */
export function defaultKeyPolicy(partition: string, accountId: string): string {
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Id: "key-default-1",
      Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" }],
    },
    null,
    2,
  );
}

/** The policy of the AWS managed aws/s3 key: usable only through S3, by principals of the account. */
function awsS3KeyPolicy(cx: CallContext): string {
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Id: "auto-s3-2",
      Statement: [
        {
          Sid: "Allow access through S3 for all principals in the account that are authorized to use S3",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          Resource: "*",
          Condition: { StringEquals: { "kms:CallerAccount": cx.accountId, "kms:ViaService": `s3.${cx.region}.amazonaws.com` } },
        },
        {
          Sid: "Allow direct access to key metadata to the account",
          Effect: "Allow",
          Principal: { AWS: `arn:${cx.partition}:iam::${cx.accountId}:root` },
          Action: ["kms:Describe*", "kms:Get*", "kms:List*"],
          Resource: "*",
        },
      ],
    },
    null,
    2,
  );
}

const keyArn = (cx: CallContext, id: string) => `arn:${cx.partition}:kms:${cx.region}:${cx.accountId}:key/${id}`;

/** The key a KeyId names (id, key ARN, alias name or alias ARN), or KMS's NotFoundException. */
function findKey(cx: CallContext, r: RegionState, keyId: string | undefined, aliases: boolean): FakeKmsKey {
  const ref = keyId ?? "";
  const alias = /^(arn:[^:]+:kms:[^:]+:[^:]+:)?(alias\/.+)$/.exec(ref)?.[2];
  if (alias) {
    if (!aliases) throw cx.error("NotFoundException", `Invalid keyId ${ref}`);
    // KMS makes an AWS managed key the first time its alias is used.
    if (alias === "alias/aws/s3" && !r.kmsAliases[alias]) {
      const id = kmsKeyId(`${cx.accountId}/${cx.region}/aws/s3`);
      r.kmsKeys[id] = { id, description: "Default key that protects my S3 objects when no other key is defined", manager: "AWS", state: "Enabled", createdAt: cx.now(), policy: awsS3KeyPolicy(cx) };
      r.kmsAliases[alias] = id;
    }
    const id = r.kmsAliases[alias];
    if (!id) throw cx.error("NotFoundException", `Alias arn:${cx.partition}:kms:${cx.region}:${cx.accountId}:${alias} is not found.`);
    return r.kmsKeys[id];
  }
  const id = ref.startsWith("arn:") ? ref.split(":key/")[1] : ref;
  const key = id ? r.kmsKeys[id] : undefined;
  if (!key) throw cx.error("NotFoundException", `Key '${keyArn(cx, id ?? ref)}' does not exist`);
  return key;
}

function metadata(cx: CallContext, k: FakeKmsKey): KeyMetadata {
  return {
    AWSAccountId: cx.accountId,
    KeyId: k.id,
    Arn: keyArn(cx, k.id),
    CreationDate: new Date(k.createdAt),
    Enabled: k.state === "Enabled",
    Description: k.description,
    KeyUsage: "ENCRYPT_DECRYPT",
    KeyState: k.state,
    Origin: "AWS_KMS",
    KeyManager: k.manager,
    CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
    KeySpec: "SYMMETRIC_DEFAULT",
    EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
    MultiRegion: false,
  };
}

export const kmsHandlers: Handlers = {
  DescribeKey: ({ KeyId }: DescribeKeyCommandInput, cx: CallContext): Answer<DescribeKeyCommandOutput> => ({
    KeyMetadata: metadata(cx, findKey(cx, regional(cx.state, cx.region), KeyId, true)),
  }),

  GetKeyPolicy: ({ KeyId, PolicyName }: GetKeyPolicyCommandInput, cx: CallContext): Answer<GetKeyPolicyCommandOutput> => {
    const key = findKey(cx, regional(cx.state, cx.region), KeyId, false);
    if ((PolicyName ?? "default") !== "default") throw cx.error("NotFoundException", `No such policy exists: ${PolicyName}`);
    return { Policy: key.policy, PolicyName: "default" };
  },

  CreateKey: (input: CreateKeyCommandInput, cx: CallContext): Answer<CreateKeyCommandOutput> => {
    const r = regional(cx.state, cx.region);
    const id = kmsKeyId(`${cx.region}/${cx.state.seq}/${input.Description ?? ""}`);
    r.kmsKeys[id] = {
      id,
      description: input.Description ?? "",
      manager: "CUSTOMER",
      state: "Enabled",
      createdAt: cx.now(),
      policy: input.Policy ?? defaultKeyPolicy(cx.partition, cx.accountId),
    };
    return { KeyMetadata: metadata(cx, r.kmsKeys[id]) };
  },

  CreateAlias: ({ AliasName, TargetKeyId }: CreateAliasCommandInput, cx: CallContext) => {
    const r = regional(cx.state, cx.region);
    if (!AliasName?.startsWith("alias/") || AliasName.startsWith("alias/aws/"))
      throw cx.error("InvalidAliasNameException", `Alias must start with the prefix "alias/" and must not begin with "alias/aws/".`);
    if (r.kmsAliases[AliasName]) throw cx.error("AlreadyExistsException", `An alias with the name arn:${cx.partition}:kms:${cx.region}:${cx.accountId}:${AliasName} already exists`);
    r.kmsAliases[AliasName] = findKey(cx, r, TargetKeyId, false).id;
    return {};
  },

  ListAliases: ({ KeyId }: ListAliasesCommandInput, cx: CallContext): Answer<ListAliasesCommandOutput> => {
    const r = regional(cx.state, cx.region);
    const only = KeyId ? findKey(cx, r, KeyId, false).id : undefined;
    return {
      Aliases: Object.entries(r.kmsAliases)
        .filter(([, id]) => !only || id === only)
        .map(([AliasName, TargetKeyId]) => ({ AliasName, AliasArn: `arn:${cx.partition}:kms:${cx.region}:${cx.accountId}:${AliasName}`, TargetKeyId })),
      Truncated: false,
    };
  },
};

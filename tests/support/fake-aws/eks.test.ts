// The fake EKS through the real SDK client: the cluster's ARN, the Pod Identity agent add-on and pod identity
// associations with EKS's own error classes and messages.
import {
  CreateAddonCommand,
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  InvalidParameterException,
  ListPodIdentityAssociationsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdatePodIdentityAssociationCommand,
} from "@aws-sdk/client-eks";
import { describe, expect, it } from "vitest";
import { fakeAwsPerTest } from "./index";

const aws = fakeAwsPerTest();
const eks = () => new EKSClient({ region: "eu-west-1" });

const POD_TRUST = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
};
const ROLE = "arn:aws:iam::111122223333:role/studio-staging-s3-role";
const OTHER_ROLE = "arn:aws:iam::111122223333:role/other-role";

describe("fake EKS", () => {
  it("DescribeCluster answers the ARN and the OIDC issuer; a missing cluster is ResourceNotFoundException", async () => {
    const { cluster } = await eks().send(new DescribeClusterCommand({ name: "studio-eks" }));
    expect(cluster).toMatchObject({
      name: "studio-eks",
      arn: "arn:aws:eks:eu-west-1:111122223333:cluster/studio-eks",
      status: "ACTIVE",
      identity: { oidc: { issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" } },
    });
    const err = await eks().send(new DescribeClusterCommand({ name: "nope" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect(err).toMatchObject({ message: "No cluster found for name: nope.", $metadata: { httpStatusCode: 404 } });
  });

  it("the eks-pod-identity-agent add-on: absent, created (CREATING), then ACTIVE; a second create is ResourceInUseException", async () => {
    const describeAgent = new DescribeAddonCommand({ clusterName: "studio-eks", addonName: "eks-pod-identity-agent" });
    const missing = await eks().send(describeAgent).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing).toMatchObject({ message: "No addon: eks-pod-identity-agent found in cluster: studio-eks", addonName: "eks-pod-identity-agent" });

    const created = await eks().send(new CreateAddonCommand({ clusterName: "studio-eks", addonName: "eks-pod-identity-agent" }));
    expect(created.addon).toMatchObject({ addonName: "eks-pod-identity-agent", clusterName: "studio-eks", status: "CREATING" });
    expect(created.addon!.addonArn).toMatch(/^arn:aws:eks:eu-west-1:111122223333:addon\/studio-eks\/eks-pod-identity-agent\/[0-9a-f]{8}$/);
    expect((await eks().send(describeAgent)).addon).toMatchObject({ status: "ACTIVE", addonVersion: expect.stringMatching(/^v\d/) });
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["CreateAddon"]);

    await expect(eks().send(new CreateAddonCommand({ clusterName: "studio-eks", addonName: "eks-pod-identity-agent" }))).rejects.toBeInstanceOf(
      ResourceInUseException,
    );
    await expect(eks().send(new CreateAddonCommand({ clusterName: "studio-eks", addonName: "no-such-addon" }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it("pod identity associations: create, list with filters, describe, update the role, delete", async () => {
    aws.fake.addRole("studio-staging-s3-role", POD_TRUST);
    aws.fake.addRole("other-role", POD_TRUST);
    const create = (namespace: string, serviceAccount: string) =>
      eks().send(new CreatePodIdentityAssociationCommand({ clusterName: "studio-eks", namespace, serviceAccount, roleArn: ROLE }));
    const { association: a } = await create("rasa", "studio-model-service");
    expect(a).toMatchObject({ clusterName: "studio-eks", namespace: "rasa", serviceAccount: "studio-model-service", roleArn: ROLE });
    expect(a!.associationId).toMatch(/^a-[a-z0-9]{17}$/);
    expect(a!.associationArn).toBe(`arn:aws:eks:eu-west-1:111122223333:podidentityassociation/studio-eks/${a!.associationId}`);
    await create("rasa", "studio-backend");
    await create("monitoring", "studio-model-service");

    const list = (filter: { namespace?: string; serviceAccount?: string }) =>
      eks()
        .send(new ListPodIdentityAssociationsCommand({ clusterName: "studio-eks", ...filter }))
        .then((r) => r.associations!.map((s) => `${s.namespace}/${s.serviceAccount}`).sort());
    expect(await list({})).toEqual(["monitoring/studio-model-service", "rasa/studio-backend", "rasa/studio-model-service"]);
    expect(await list({ namespace: "rasa" })).toEqual(["rasa/studio-backend", "rasa/studio-model-service"]);
    expect(await list({ namespace: "rasa", serviceAccount: "studio-model-service" })).toEqual(["rasa/studio-model-service"]);
    // The summaries carry no role: reading it takes a Describe.
    const [summary] = (await eks().send(new ListPodIdentityAssociationsCommand({ clusterName: "studio-eks", serviceAccount: "studio-backend" }))).associations!;
    expect(summary).not.toHaveProperty("roleArn");

    const id = { clusterName: "studio-eks", associationId: a!.associationId };
    expect((await eks().send(new DescribePodIdentityAssociationCommand(id))).association).toMatchObject({ roleArn: ROLE, associationId: a!.associationId });
    const updated = await eks().send(new UpdatePodIdentityAssociationCommand({ ...id, roleArn: OTHER_ROLE }));
    expect(updated.association).toMatchObject({ roleArn: OTHER_ROLE });
    expect((await eks().send(new DescribePodIdentityAssociationCommand(id))).association?.roleArn).toBe(OTHER_ROLE);

    await eks().send(new DeletePodIdentityAssociationCommand(id));
    const gone = await eks().send(new DescribePodIdentityAssociationCommand(id)).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(await list({ namespace: "rasa" })).toEqual(["rasa/studio-backend"]);
    expect(JSON.parse(JSON.stringify(aws.fake.state))).toEqual(aws.fake.state);
  });

  it("refuses a second association for the same service account (ResourceInUseException naming the existing one)", async () => {
    aws.fake.addRole("studio-staging-s3-role", POD_TRUST);
    const existing = aws.fake.addPodIdentityAssociation({ namespace: "rasa", serviceAccount: "studio-model-service", roleArn: OTHER_ROLE });
    const err = await eks()
      .send(new CreatePodIdentityAssociationCommand({ clusterName: "studio-eks", namespace: "rasa", serviceAccount: "studio-model-service", roleArn: ROLE }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceInUseException);
    expect(err).toMatchObject({ message: `Association already exists: ${existing}`, $metadata: { httpStatusCode: 409 } });
  });

  it("checks the role as EKS does: it must exist and trust pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession", async () => {
    const create = () =>
      eks().send(new CreatePodIdentityAssociationCommand({ clusterName: "studio-eks", namespace: "rasa", serviceAccount: "studio-backend", roleArn: ROLE }));
    await expect(create()).rejects.toMatchObject({ name: "InvalidParameterException", message: "Role provided in the request does not exist" });
    aws.fake.addRole("studio-staging-s3-role", {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/x" }, Action: "sts:AssumeRoleWithWebIdentity" }],
    });
    await expect(create()).rejects.toMatchObject({ name: "InvalidParameterException", message: "Trust policy of the role provided is invalid" });
    expect(aws.fake.regionState().clusters["studio-eks"].associations).toEqual({});
  });
});

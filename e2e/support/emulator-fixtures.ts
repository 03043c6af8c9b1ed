// When the browser tests run against an AWS emulator (AWS_ENDPOINT_URL), the things the console expects to
// find (the EKS cluster, the RDS instance the wizard names) are created here, by the test, with the SDK. With
// the preloaded double they exist already. Product code never creates them.
import { randomBytes } from "node:crypto";
import { CreateClusterCommand, EKSClient } from "@aws-sdk/client-eks";
import { CreateDBInstanceCommand, RDSClient } from "@aws-sdk/client-rds";

const REGION = process.env.AWS_REGION || "eu-west-1";

/** Already there from an earlier run against the same emulator: fine. */
function tolerateExisting(err: unknown) {
  const name = (err as Error).name;
  if (!/AlreadyExists|ResourceInUse/.test(name)) throw err;
}

export async function createEmulatorFixtures(): Promise<void> {
  const eks = new EKSClient({ region: REGION });
  const rds = new RDSClient({ region: REGION });
  await eks
    .send(
      new CreateClusterCommand({
        name: "studio-eks",
        roleArn: "arn:aws:iam::123456789012:role/eks-cluster-role",
        resourcesVpcConfig: { subnetIds: ["subnet-00000000000000001", "subnet-00000000000000002"] },
      }),
    )
    .catch(tolerateExisting);
  await rds
    .send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: "studio-db",
        Engine: "postgres",
        EngineVersion: "16.4",
        DBInstanceClass: "db.t3.micro",
        AllocatedStorage: 20,
        MasterUsername: "studio",
        MasterUserPassword: randomBytes(18).toString("base64url"),
      }),
    )
    .catch(tolerateExisting);
  eks.destroy();
  rds.destroy();
}

// When the browser tests run against an AWS emulator (AWS_ENDPOINT_URL), the things the console expects to
// find (the EKS cluster, the RDS instance the wizard names) are created here, by the test, with the SDK. With
// the preloaded double they exist already. Product code never creates them.
import { EKSClient } from "@aws-sdk/client-eks";
import { RDSClient } from "@aws-sdk/client-rds";
import { createEksCluster, createRdsInstance } from "../../tests/support/aws-prerequisites";

const REGION = process.env.AWS_REGION || "eu-west-1";

/** Already there from an earlier run against the same emulator: fine. */
function tolerateExisting(err: unknown) {
  const name = (err as Error).name;
  if (!/AlreadyExists|ResourceInUse/.test(name)) throw err;
}

export async function createEmulatorFixtures(): Promise<void> {
  const eks = new EKSClient({ region: REGION });
  const rds = new RDSClient({ region: REGION });
  await createEksCluster(eks, "studio-eks").catch(tolerateExisting);
  await createRdsInstance(rds, "studio-db").catch(tolerateExisting);
  eks.destroy();
  rds.destroy();
}

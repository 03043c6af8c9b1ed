// What the console expects to exist before it runs (an EKS cluster, an RDS instance), created in an AWS
// endpoint by a test with plain SDK calls. Product code never creates these. Used by the live AWS suite and
// by the browser tests: no `@/` imports and nothing `server-only`, since Playwright imports this by path.
import { randomBytes } from "node:crypto";
import { CreateClusterCommand, type EKSClient } from "@aws-sdk/client-eks";
import { CreateDBInstanceCommand, type RDSClient } from "@aws-sdk/client-rds";

export function createEksCluster(eks: EKSClient, name: string) {
  return eks.send(
    new CreateClusterCommand({
      name,
      roleArn: "arn:aws:iam::123456789012:role/eks-cluster-role",
      resourcesVpcConfig: { subnetIds: ["subnet-00000000000000001", "subnet-00000000000000002"] },
    }),
  );
}

/** A small PostgreSQL instance; with `databaseName`, that database is created in it too. */
export function createRdsInstance(rds: RDSClient, identifier: string, databaseName?: string) {
  return rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: identifier,
      Engine: "postgres",
      EngineVersion: "16.4",
      DBInstanceClass: "db.t3.micro",
      AllocatedStorage: 20,
      MasterUsername: "studio",
      // A throwaway password for an emulator instance; never printed.
      MasterUserPassword: randomBytes(18).toString("base64url"),
      DBName: databaseName,
    }),
  );
}

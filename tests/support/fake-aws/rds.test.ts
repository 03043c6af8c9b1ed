// The fake RDS through the real SDK client: what the answers carry, the Aurora cluster and its member, a change
// applied now (a few describes) or left pending for the maintenance window, and RDS's refusals.
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  InvalidDBInstanceStateFault,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  RDSClient,
} from "@aws-sdk/client-rds";
import { describe, expect, it } from "vitest";
import { fakeAwsPerTest } from "./index";

const aws = fakeAwsPerTest();
const rds = () => new RDSClient({ region: "eu-west-1" });
const instance = (id = "studio-db") => rds().send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })).then((r) => r.DBInstances![0]);
const cluster = () => rds().send(new DescribeDBClustersCommand({ DBClusterIdentifier: "studio-aurora" })).then((r) => r.DBClusters![0]);

describe("fake RDS", () => {
  it("answers with MasterUsername and PreferredMaintenanceWindow; the Aurora cluster lists its member, the member names its cluster", async () => {
    expect(await instance()).toMatchObject({
      DBInstanceIdentifier: "studio-db",
      Engine: "postgres",
      MasterUsername: "postgres",
      PreferredMaintenanceWindow: "sun:03:00-sun:03:30",
      DbiResourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXY1",
      PendingModifiedValues: {},
    });
    expect(await cluster()).toMatchObject({
      Engine: "aurora-postgresql",
      MasterUsername: "postgres",
      DbClusterResourceId: "cluster-ABCDEFGHIJKLMNOPQRSTUVWX",
      DBClusterMembers: [{ DBInstanceIdentifier: "studio-aurora-instance-1", IsClusterWriter: true }],
    });
    expect(await instance("studio-aurora-instance-1")).toMatchObject({ DBClusterIdentifier: "studio-aurora", Engine: "aurora-postgresql" });
    // The pickers' listings, without an identifier.
    const all = await rds().send(new DescribeDBInstancesCommand({}));
    expect(all.DBInstances?.map((d) => d.DBInstanceIdentifier)).toEqual(["studio-db", "studio-aurora-instance-1"]);
    const members = await rds().send(new DescribeDBInstancesCommand({ Filters: [{ Name: "db-cluster-id", Values: ["studio-aurora"] }] }));
    expect(members.DBInstances?.map((d) => d.DBInstanceIdentifier)).toEqual(["studio-aurora-instance-1"]);
    await expect(rds().send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "nope" }))).rejects.toMatchObject({
      name: "DBInstanceNotFoundFault",
      $metadata: { httpStatusCode: 404 },
    });
  });

  it("without ApplyImmediately the change waits in PendingModifiedValues until the maintenance window", async () => {
    await rds().send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "studio-db", EnableIAMDatabaseAuthentication: true, ApplyImmediately: false }));
    for (let i = 0; i < 3; i++)
      expect(await instance()).toMatchObject({ DBInstanceStatus: "available", IAMDatabaseAuthenticationEnabled: false, PendingModifiedValues: { IAMDatabaseAuthenticationEnabled: true } });
    aws.fake.passMaintenanceWindow();
    expect(await instance()).toMatchObject({ IAMDatabaseAuthenticationEnabled: true, PendingModifiedValues: {} });

    await rds().send(new ModifyDBClusterCommand({ DBClusterIdentifier: "studio-aurora", EnableIAMDatabaseAuthentication: true }));
    expect(await cluster()).toMatchObject({ IAMDatabaseAuthenticationEnabled: false, PendingModifiedValues: { IAMDatabaseAuthenticationEnabled: true } });
    aws.fake.passMaintenanceWindow();
    const after = await cluster();
    expect(after.IAMDatabaseAuthenticationEnabled).toBe(true);
    expect(after).not.toHaveProperty("PendingModifiedValues");
    // The member reports the cluster's switch.
    expect((await instance("studio-aurora-instance-1")).IAMDatabaseAuthenticationEnabled).toBe(true);
  });

  it("ApplyImmediately applies a seeded pending change too, over a few describes; a second modify meanwhile is refused", async () => {
    aws.fake.db!.pending = { DBInstanceClass: "db.r6g.large" };
    await rds().send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "studio-db", EnableIAMDatabaseAuthentication: true, ApplyImmediately: true }));
    expect(await instance()).toMatchObject({ DBInstanceStatus: "modifying", IAMDatabaseAuthenticationEnabled: false });
    const again = await rds()
      .send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "studio-db", DBInstanceClass: "db.t4g.large", ApplyImmediately: true }))
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(InvalidDBInstanceStateFault);
    expect(await instance()).toMatchObject({ DBInstanceStatus: "available", IAMDatabaseAuthenticationEnabled: true, DBInstanceClass: "db.r6g.large", PendingModifiedValues: {} });
  });

  it("IAM authentication of an Aurora member is refused: it belongs to the cluster", async () => {
    await expect(
      rds().send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "studio-aurora-instance-1", EnableIAMDatabaseAuthentication: true, ApplyImmediately: true })),
    ).rejects.toMatchObject({ name: "InvalidParameterCombination", $metadata: { httpStatusCode: 400 } });
  });
});

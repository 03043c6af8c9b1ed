import { ListClustersCommand, EKSClient } from "@aws-sdk/client-eks";
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { resetAwsClients } from "./clients";
import { listBuckets, listClusters, listDatabases } from "./inventory";

const rds = mockClient(RDSClient);
const eks = mockClient(EKSClient);
const s3 = mockClient(S3Client);
afterEach(() => {
  rds.reset();
  eks.reset();
  s3.reset();
  resetAwsClients();
});

describe("inventory", () => {
  it("lists clusters across pages, sorted", async () => {
    eks.on(ListClustersCommand, { nextToken: undefined }).resolves({ clusters: ["prod"], nextToken: "t" });
    eks.on(ListClustersCommand, { nextToken: "t" }).resolves({ clusters: ["dev"] });
    expect(await listClusters("eu-west-1")).toEqual(["dev", "prod"]);
  });

  it("lists RDS instances and Aurora clusters, not Aurora members, Neptune or DocumentDB", async () => {
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        {
          DBInstanceIdentifier: "studio-db",
          Engine: "postgres",
          Endpoint: { Address: "studio-db.x.rds.amazonaws.com", Port: 5432 },
          IAMDatabaseAuthenticationEnabled: false,
          DBName: "studio",
          MasterUsername: "postgres",
        },
        { DBInstanceIdentifier: "aurora-1", DBClusterIdentifier: "aurora", Engine: "aurora-postgresql" },
        { DBInstanceIdentifier: "graph", Engine: "neptune" },
      ],
    });
    rds.on(DescribeDBClustersCommand).resolves({
      DBClusters: [
        { DBClusterIdentifier: "aurora", Engine: "aurora-postgresql", Endpoint: "aurora.cluster-x.rds.amazonaws.com", Port: 5432, IAMDatabaseAuthenticationEnabled: true },
        { DBClusterIdentifier: "docs", Engine: "docdb" },
      ],
    });
    expect(await listDatabases("eu-west-1")).toEqual([
      // Aurora names its first database DatabaseName; here none was named at creation.
      { kind: "cluster", id: "aurora", engine: "aurora-postgresql", endpoint: "aurora.cluster-x.rds.amazonaws.com", port: 5432, iamAuthEnabled: true, databaseName: null, masterUsername: null },
      {
        kind: "instance",
        id: "studio-db",
        engine: "postgres",
        endpoint: "studio-db.x.rds.amazonaws.com",
        port: 5432,
        iamAuthEnabled: false,
        databaseName: "studio",
        masterUsername: "postgres",
      },
    ]);
  });

  it("lists buckets with their region when S3 reports it", async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: "b", BucketRegion: "eu-west-1" }, { Name: "a" }] });
    expect(await listBuckets("eu-west-1")).toEqual([
      { name: "a", region: null },
      { name: "b", region: "eu-west-1" },
    ]);
  });

  it("AccessDenied names the action", async () => {
    eks.on(ListClustersCommand).rejects(Object.assign(new Error("User: arn:aws:iam::1:user/x is not authorized to perform: eks:ListClusters"), { name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } }));
    await expect(listClusters("eu-west-1")).rejects.toThrow(/arn:aws:iam::1:user\/x is not allowed to call eks:ListClusters/);
  });
});

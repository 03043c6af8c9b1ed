// The region the AWS SDK is configured with (AWS_REGION, else the profile's `region` in ~/.aws/config), read
// through the SDK's own resolver so the wizard's default is the region the console's calls would use anyway.
import "server-only";
import { STSClient } from "@aws-sdk/client-sts";

export async function sdkConfiguredRegion(): Promise<string | null> {
  const client = new STSClient({});
  try {
    const region = await client.config.region();
    return region || null;
  } catch {
    // No region configured anywhere: the wizard asks for one.
    return null;
  } finally {
    client.destroy();
  }
}

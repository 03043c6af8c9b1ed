import type { Metadata } from "next";
import "./globals.css";

// Every page renders per request: the Content-Security-Policy's nonce (proxy.ts) is new each time, and Next.js
// can only put it on the scripts of a page it renders then (a page prerendered at build time would have none).
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Studio IAM Console", template: "%s · Studio IAM Console" },
  description: "Moves Rasa Studio on AWS to IAM database authentication and S3 model storage.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        {children}
      </body>
    </html>
  );
}

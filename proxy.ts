// Runs before every request that carries no body (page views, downloads, event streams; not server-action or
// upload POSTs: for those Next would buffer the whole body to hand it to a proxy, which would defeat the
// streamed byte caps of the route handlers). It gives each response a Content-Security-Policy with a fresh
// nonce (forwarded in the request too, where Next.js reads it to put the nonce on its own scripts; x-nonce for
// our code), the Permissions-Policy, and HSTS when the browser came over https.
// Authentication is not done here: every page, action and route handler checks the session itself.
import { NextResponse, type NextRequest } from "next/server";
import { securityHeaders } from "./lib/http/security-headers";
import { requestIsHttps } from "./lib/http/request-origin";

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
  const headers = securityHeaders({ nonce, https: requestIsHttps(request.headers), dev: process.env.NODE_ENV === "development" });
  const forwarded = new Headers(request.headers);
  forwarded.set("x-nonce", nonce);
  forwarded.set("Content-Security-Policy", headers["Content-Security-Policy"]);
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "content-length" },
        { type: "header", key: "transfer-encoding" },
      ],
    },
  ],
};

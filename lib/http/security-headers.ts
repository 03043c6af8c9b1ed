// The security headers of every page: a Content-Security-Policy with a fresh nonce per response (Next.js puts
// it on its own scripts when it finds the policy in the request: see proxy.ts), a Permissions-Policy that
// switches off browser features the console never uses, and HSTS when the browser came over https.
// Pure: no "server-only", the proxy bundle uses it.

/**
 * `'strict-dynamic'`: scripts the nonced ones load (Next's chunks) are trusted, nothing else; `'self'` and
 * `https:` are ignored by browsers that know strict-dynamic. Styles: the stylesheet file and nonced tags only.
 * `frame-ancestors 'none'` replaces X-Frame-Options, `base-uri 'none'` stops a `<base>` redirecting relative
 * URLs, `form-action 'self'` keeps form posts on the console, `object-src 'none'` shuts plugins out.
 */
export function contentSecurityPolicy(nonce: string, options: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    // Development only: React rebuilds server error stacks with eval; production never evaluates strings.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Browser features the console never uses, off for it and anything it could embed. */
export const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "autoplay=()",
  "camera=()",
  "display-capture=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "payment=()",
  "publickey-credentials-get=()",
  "usb=()",
].join(", ");

/** A year; no includeSubDomains: the console does not speak for its parent domain's other hosts. */
export const HSTS = "max-age=31536000";

export function securityHeaders(options: { nonce: string; https: boolean; dev?: boolean }): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(options.nonce, { dev: options.dev }),
    "Permissions-Policy": PERMISSIONS_POLICY,
    ...(options.https ? { "Strict-Transport-Security": HSTS } : {}),
  };
}

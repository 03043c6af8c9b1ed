// What a request says about where it comes from, believed only as far as the operator allowed: the client
// address (sign-in throttle) and whether the browser used https (Secure cookie, __Host- name, HSTS). Works from
// plain Headers, so the proxy (proxy.ts) and server code share it. No "server-only": the proxy bundle imports it.
import { clientAddressFrom, forwardedHttps, parseTrustedProxies, peerHeaderName, type TrustedProxies } from "../auth/client-address";

let proxies: { value: TrustedProxies } | undefined;

/** CONSOLE_TRUSTED_PROXIES, parsed once (checked at start-up, so a typo stops the server, not a sign-in). */
export function trustedProxies(): TrustedProxies {
  return (proxies ??= { value: parseTrustedProxies(process.env.CONSOLE_TRUSTED_PROXIES) }).value;
}

/** The socket's peer as stamped by scripts/server.mjs, or null when the server did not stamp it. */
function peerOf(h: Headers): string | null {
  const name = peerHeaderName();
  return name ? h.get(name) : null;
}

/** CONSOLE_SECURE_COOKIES=true/false decides; otherwise a trusted proxy's X-Forwarded-Proto. */
export function requestIsHttps(h: Headers): boolean {
  if (process.env.CONSOLE_SECURE_COOKIES === "true") return true;
  if (process.env.CONSOLE_SECURE_COOKIES === "false") return false;
  return forwardedHttps({ peer: peerOf(h), forwardedProto: h.get("x-forwarded-proto") }, trustedProxies());
}

export function requestClientAddress(h: Headers): string {
  return clientAddressFrom({ peer: peerOf(h), forwardedFor: h.get("x-forwarded-for") }, trustedProxies());
}

// Where a request comes from (for the sign-in throttle) and whether the browser used https (for the cookie's
// Secure flag, its __Host- name and HSTS). Forwarded headers are set by whoever sends the request, so they are
// believed only when the socket's peer is a proxy the operator listed in CONSOLE_TRUSTED_PROXIES; the peer
// itself is stamped on each request by scripts/server.mjs (Next's own server does not expose it).
import { BlockList, isIP } from "node:net";

export type TrustedProxies = BlockList | null;

/** CONSOLE_TRUSTED_PROXIES: IP addresses and CIDR ranges, comma-separated. Empty or unset: trust no proxy. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const entries = (value ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split("/");
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const max = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && (!/^\d+$/.test(prefix!) || bits > max)))
      throw new Error(`CONSOLE_TRUSTED_PROXIES must list IP addresses or CIDR ranges separated by commas; "${entry}" is neither`);
    const type = family === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return list;
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
function normalize(address: string): string {
  const a = address.trim();
  return a.toLowerCase().startsWith("::ffff:") && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

function trusted(address: string, proxies: TrustedProxies): boolean {
  const family = isIP(address);
  return !!proxies && family !== 0 && proxies.check(address, family === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address: the peer, unless the peer is a trusted proxy; then the nearest X-Forwarded-For entry
 * (from the right: each proxy appends what it saw) that is not itself a trusted proxy. `unknown` when the peer
 * was not reported or the header holds no address where one should be.
 */
export function clientAddressFrom(request: { peer: string | null; forwardedFor: string | null }, proxies: TrustedProxies): string {
  if (!request.peer) return "unknown";
  let address = normalize(request.peer);
  if (!trusted(address, proxies)) return address;
  const hops = (request.forwardedFor ?? "").split(",").map(normalize).filter(Boolean);
  while (trusted(address, proxies) && hops.length > 0) address = hops.pop()!;
  return isIP(address) ? address : "unknown";
}

/** Whether a trusted proxy says the browser used https. */
export function forwardedHttps(request: { peer: string | null; forwardedProto: string | null }, proxies: TrustedProxies): boolean {
  if (!request.peer || !trusted(normalize(request.peer), proxies)) return false;
  return (request.forwardedProto ?? "").split(",")[0].trim().toLowerCase() === "https";
}

/** The header scripts/server.mjs sets to the socket's address, when this process was started by it. */
export function peerHeaderName(): string | null {
  return (globalThis as { __studioPeerHeader?: string }).__studioPeerHeader ?? null;
}

// Where to go after signing in. Only paths on this console, so the sign-in page cannot bounce people to a
// look-alike site: browsers read `/\host` and `/<tab>/host` as `//host`, so backslashes and control characters
// are refused too. The check runs on the FINAL value: `/.//host`, `/x/..//host` and `/%2e//host` only become
// `//host` once dot segments are resolved, so the value is resolved first and the result is checked again.
const FALLBACK = "/environments";
const BASE = "http://console.invalid";

/** A plain path on this origin: one leading slash, no backslash, no control character. */
function plainPath(value: string): boolean {
  return value.startsWith("/") && !value.startsWith("//") && !/[\\\u0000-\u001f\u007f]/.test(value);
}

export function safeNext(next: string | undefined | null): string {
  if (!next || !plainPath(next)) return FALLBACK;
  const url = new URL(next, BASE);
  if (url.origin !== BASE) return FALLBACK;
  const resolved = `${url.pathname}${url.search}${url.hash}`;
  // What the browser will be sent: it must itself be a plain path, and resolving it again must not move it.
  if (!plainPath(resolved)) return FALLBACK;
  const again = new URL(resolved, BASE);
  if (again.origin !== BASE || `${again.pathname}${again.search}${again.hash}` !== resolved) return FALLBACK;
  return resolved;
}

// Where to go after signing in. Only paths on this console, so the sign-in page cannot bounce people to a
// look-alike site: browsers read `/\host` and `/<tab>/host` as `//host`, so backslashes and control characters
// are refused too, and what is left must resolve to this origin.
const FALLBACK = "/environments";

export function safeNext(next: string | undefined | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(next)) return FALLBACK;
  const base = "http://console.invalid";
  const url = new URL(next, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : FALLBACK;
}

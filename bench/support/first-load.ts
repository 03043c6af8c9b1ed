// What a browser downloads to start a page: every <script src> of its HTML fetched over HTTP, gzip-compressed
// here at the default level (what a compressing proxy in front of the console would send), summed.
import { gzipSync } from "node:zlib";

export interface FirstLoad {
  scripts: number;
  gzipBytes: number;
  rawBytes: number;
}

export async function firstLoadJs(base: string, pagePath: string, cookie?: string): Promise<FirstLoad> {
  const res = await fetch(`${base}${pagePath}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
  if (res.status !== 200) throw new Error(`${pagePath} answered ${res.status}`);
  const html = await res.text();
  const sources = [...new Set([...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, "&")))];
  let gzipBytes = 0;
  let rawBytes = 0;
  for (const src of sources) {
    const body = Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer());
    rawBytes += body.length;
    gzipBytes += gzipSync(body).length;
  }
  return { scripts: sources.length, gzipBytes, rawBytes };
}

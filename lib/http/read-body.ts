// Request bodies read with a byte cap: the declared Content-Length is checked before anything is read, and
// the stream is cancelled as soon as it passes the cap, so a 60 MB POST costs at most the cap (not 60 MB of
// memory and the time to receive it) before its 413.
import "server-only";
import { ConsoleError } from "./console-error";

export class BodyTooLargeError extends ConsoleError {
  constructor(readonly maxBytes: number) {
    super(`The request is larger than ${maxBytes.toLocaleString("en-US")} bytes.`);
  }
}

/** The body's bytes, at most `maxBytes` of them; a larger body is a BodyTooLargeError. */
export async function readBodyCapped(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(maxBytes);
  }
  if (!request.body) return new Uint8Array(new ArrayBuffer(0));
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(new ArrayBuffer(size));
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/** A form body (multipart or urlencoded) parsed only after it was read within the cap. */
export async function formDataCapped(request: Request, maxBytes: number): Promise<FormData> {
  const body = await readBodyCapped(request, maxBytes);
  return new Response(body, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
}

// Session cookies are sealed: AES-256-GCM (encrypted and authenticated, so neither readable nor forgeable)
// with a key derived from the session secret. The payload carries its own expiry, checked on unseal.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

export interface SessionPayload {
  /** Random session token; the job store keeps only its SHA-256 digest. */
  token: string;
  /** Expiry, ms since epoch. */
  exp: number;
}

// Derived once per secret: every request unseals its cookie, and HKDF each time was ~1 ms of CPU per request.
const keys = new Map<string, Buffer>();

function keyFrom(secret: string): Buffer {
  if (secret.length < 32) throw new Error("SESSION_SECRET must be at least 32 characters");
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, "studio-iam-console", "session-cookie-v1", 32));
    if (keys.size > 8) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

export function seal(payload: SessionPayload, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(secret), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(payload), "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** The payload, or null when the value was tampered with, sealed with another secret, or has expired. */
export function unseal(value: string, secret: string, now = Date.now()): SessionPayload | null {
  try {
    const raw = Buffer.from(value, "base64url");
    if (raw.length < 29) return null;
    const decipher = createDecipheriv("aes-256-gcm", keyFrom(secret), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const json = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    const payload = JSON.parse(json) as SessionPayload;
    if (typeof payload.token !== "string" || typeof payload.exp !== "number" || payload.exp <= now) return null;
    return payload;
  } catch {
    return null;
  }
}

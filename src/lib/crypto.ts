// AES-256-GCM for codes and PINs at rest ("v1.<iv>.<tag>.<ciphertext>", each part base64url), and keyed fingerprints of codes.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

/** A cipher under a 32-byte key. The order id is bound as associated data, so a code moved to another order does not decrypt. */
export function createCodeCipher(key: Buffer): { seal(plain: string, context: string): string; open(sealed: string, context: string): string } {
  if (key.length !== 32) throw new Error("CODE_ENCRYPTION_KEY must be 32 bytes");
  return {
    seal(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
    },
    open(sealed, context) {
      const [version, iv, tag, body] = sealed.split(".");
      if (version !== "v1" || iv === undefined || tag === undefined || body === undefined) {
        throw new Error("not a sealed value");
      }
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    },
  };
}

export type Sealer = ReturnType<typeof createCodeCipher>;

/**
 * A keyed fingerprint of a code (HMAC-SHA256 under a key derived from the code key with HKDF), to find a
 * duplicate without keeping the plain code. Spaces and dashes are ignored and letters compared upper-case,
 * so "abcd-efgh" and "ABCD EFGH" are the same code.
 */
export function createCodeFingerprinter(key: Buffer): (code: string) => string {
  const derived = Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), "code-shop stock fingerprint v1", 32));
  return (code) => createHmac("sha256", derived).update(normalizeCode(code), "utf8").digest("hex");
}

export function normalizeCode(code: string): string {
  return code.replace(/[\s-]+/g, "").toUpperCase();
}

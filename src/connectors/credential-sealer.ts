import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/** What a connector's credentials hold once opened. Never returned, logged or put in an error. */
export interface ConnectorCredentials {
  adminKey: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM sealing of connector credentials under CONNECTOR_ENCRYPTION_KEY
 * (`id:base64key[,id:base64key...]`). The first key seals; every listed key
 * opens, so a key is rotated by putting a new one first and keeping the old
 * one listed until every connector has been re-sealed (each successful sync
 * re-seals a connector sealed under an older key; see the README).
 *
 * sealed = iv (12 random bytes per seal) || tag (16) || ciphertext. The
 * additional authenticated data binds a sealed value to its org and
 * connector, so a value copied onto another row (or another org) does not open.
 */
@Injectable()
export class CredentialSealer {
  private readonly keys: { id: string; key: Buffer }[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.keys = config.connectors.keys;
  }

  /** The id of the key that seals today. */
  get currentKeyId(): string {
    return this.keys[0]!.id;
  }

  seal(orgId: string, connectorId: string, credentials: ConnectorCredentials): { keyId: string; sealed: Buffer } {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad(orgId, connectorId));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify({ adminKey: credentials.adminKey }), 'utf8'), cipher.final()]);
    return { keyId: id, sealed: Buffer.concat([iv, cipher.getAuthTag(), ciphertext]) };
  }

  /** Opens a sealed value; throws a message without any secret when its key is gone or the value was tampered with. */
  open(orgId: string, connectorId: string, keyId: string, sealed: Uint8Array): ConnectorCredentials {
    const entry = this.keys.find((k) => k.id === keyId);
    if (!entry) throw new Error(`the credentials were sealed with key "${keyId}", which CONNECTOR_ENCRYPTION_KEY no longer lists; add it back or re-create the connector`);
    const buf = Buffer.from(sealed);
    if (buf.length <= IV_BYTES + TAG_BYTES) throw new Error('the sealed credentials are truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', entry.key, buf.subarray(0, IV_BYTES));
      decipher.setAAD(aad(orgId, connectorId));
      decipher.setAuthTag(buf.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(buf.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      const parsed = JSON.parse(plain) as ConnectorCredentials;
      if (typeof parsed.adminKey !== 'string') throw new Error('shape');
      return { adminKey: parsed.adminKey };
    } catch {
      throw new Error(`the sealed credentials do not open with key "${keyId}" (tampered with, or the key's value changed)`);
    }
  }
}

function aad(orgId: string, connectorId: string): Buffer {
  return Buffer.from(`crossover-connector:${orgId}:${connectorId}`, 'utf8');
}

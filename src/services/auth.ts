/**
 * Keys and users: the secret key is exchanged for scoped, expiring API keys (DESIGN.md §1 row 23).
 * Keys are stored as SHA-256 hashes only.
 */
import { isoUtc } from '../domain/clock.js';
import { AppError } from '../domain/errors.js';
import { hashKey, newKey, newUserId } from '../domain/ids.js';
import type { ApiKeyScope, KeyScope, Principal } from '../domain/records.js';
import type { ServiceDeps } from './deps.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface IssuedKey {
  readonly apiKey: string;
  readonly endDate: string;
}

export interface CreatedSecret {
  readonly userId: string;
  readonly secretKey: string;
}

export class AuthService {
  readonly #d: ServiceDeps;
  constructor(deps: ServiceDeps) {
    this.#d = deps;
  }

  /**
   * Checks `x-api-key` for one of `scopes`. Failure messages are the documented ones:
   * no such key → "invalid_api_key.", a key of another type → "Not_found_credential.",
   * an expired key → "Inactive_credential.", a deleted owner → "This user may be deleted.".
   */
  async authenticate(rawKey: string | undefined, scopes: readonly KeyScope[]): Promise<Principal> {
    if (rawKey === undefined || rawKey === '') throw new AppError('INVALID_API_KEY');
    const key = await this.#d.keys.findByHash(hashKey(rawKey));
    if (key === null) throw new AppError('INVALID_API_KEY');
    if (!scopes.includes(key.scope)) throw new AppError('NOT_FOUND_CREDENTIAL');
    if (key.endDate !== null && Date.parse(key.endDate) <= this.#d.clock.now().getTime()) {
      throw new AppError('INACTIVE_CREDENTIAL');
    }
    const user = await this.#d.users.get(key.userId);
    if (user === null || user.deletedAt !== null) throw new AppError('USER_DELETED');
    return { userId: key.userId, scope: key.scope, modelId: key.modelId };
  }

  /**
   * `GET /v1/external/api-key`: the caller is authenticated with its secret key. `modelId` is the
   * model of a retrain key (the API's schema requires it for `retrain` and drops it otherwise).
   */
  async issueApiKey(secret: Principal, scope: ApiKeyScope, modelId: number | null): Promise<IssuedKey> {
    if (scope === 'retrain') {
      if (modelId === null) throw new AppError('MODEL_ID_REQUIRED');
      if ((await this.#d.models.get(secret.userId, modelId)) === null) throw new AppError('MODEL_DELETED');
    }
    const now = this.#d.clock.now();
    const apiKey = newKey();
    const endDate = isoUtc(new Date(now.getTime() + this.#d.config.apiKeyTtlDays * DAY_MS));
    await this.#d.keys.create({ keyHash: hashKey(apiKey), userId: secret.userId, scope, modelId, endDate, createdAt: isoUtc(now) });
    return { apiKey, endDate };
  }

  /** New secret key for user `name`, creating the user on first use (CLI, first start). */
  async createSecretKey(name: string): Promise<CreatedSecret> {
    const now = isoUtc(this.#d.clock.now());
    let user = await this.#d.users.findByName(name);
    if (user === null) {
      user = { id: newUserId(), name, createdAt: now, deletedAt: null };
      await this.#d.users.create(user);
    }
    const secretKey = newKey();
    await this.#d.keys.create({ keyHash: hashKey(secretKey), userId: user.id, scope: 'secret', modelId: null, endDate: null, createdAt: now });
    return { userId: user.id, secretKey };
  }

  /** On a fresh data directory: the local user and its secret key; null if users exist. */
  async bootstrapLocalUser(): Promise<CreatedSecret | null> {
    if ((await this.#d.users.count()) > 0) return null;
    return this.createSecretKey('local');
  }
}

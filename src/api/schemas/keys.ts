/** Get API Key (spec §2.1). zod only. */
import { z } from 'zod';
import { fail, got, integerOf, isAbsent, rangeText } from './loose.js';
import { Timestamp } from './common.js';

export const CREDENTIAL_TYPES = ['train', 'deploy', 'retrain'] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

/**
 * `credential_type` and, for retrain keys, `model_id` (`Model id is required.` without it). The
 * model id is read only for retrain keys, as the product does.
 */
export const ApiKeyQuery = z
  .object({
    credential_type: z
      .custom<CredentialType>()
      .optional()
      .meta({ type: 'string', enum: [...CREDENTIAL_TYPES], example: 'train' }),
    model_id: z
      .custom<number | string | undefined>()
      .optional()
      .meta({ anyOf: [{ type: 'integer' }, { type: 'string' }], description: 'With credential_type=retrain: the model the key may retrain' }),
  })
  .transform((q, ctx) => {
    const type = q.credential_type as unknown;
    if (typeof type !== 'string' || !(CREDENTIAL_TYPES as readonly string[]).includes(type)) {
      return fail(ctx, 'INVALID_PARAMETER', `credential_type: got ${got(type)}; allowed: ${CREDENTIAL_TYPES.join(', ')}`);
    }
    if (type !== 'retrain') return { credential_type: type as CredentialType, model_id: null };
    if (isAbsent(q.model_id)) return fail(ctx, 'MODEL_ID_REQUIRED', '');
    const id = integerOf(q.model_id);
    if (id === null || id < 1) return fail(ctx, 'INVALID_PARAMETER', `model_id: got ${got(q.model_id)}; allowed: ${rangeText(1, Number.MAX_SAFE_INTEGER)}`);
    return { credential_type: type as CredentialType, model_id: id };
  });
export type ApiKeyQuery = z.output<typeof ApiKeyQuery>;

export const ApiKeyResponse = z.object({
  api_key: z.string().meta({ example: '6f1c2b9e-0d7a-4c41-9a55-1f0b8c2d3e4f' }),
  end_date: Timestamp.meta({ description: 'When the key expires (API_KEY_TTL_DAYS)' }),
});
export type ApiKeyResponse = z.infer<typeof ApiKeyResponse>;

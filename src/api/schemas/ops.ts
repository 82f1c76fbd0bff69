/** Operations endpoints (docs/operations.md). zod only. */
import { z } from 'zod';

export const HealthResponse = z.object({ status: z.literal('ok') });

const Check = z.string().meta({ description: '`ok`, or `error: …`' });
export const ReadyResponse = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ database: Check, blob_store: Check, job_queue: Check }),
});

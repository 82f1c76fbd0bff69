/** Train, Train Status Check, Get / Delete Model (spec §2.4–§2.7). zod only. */
import { z } from 'zod';
import { fail, got, looseInt, requiredString } from './loose.js';
import { PageMetadata, Timestamp } from './common.js';
import { TASK_TYPES, trainConfigJsonSchema, type TrainConfigInput } from './train-config.js';

/**
 * The body of `POST /v1/external/models`. `config` is an object here; its keys are checked by the
 * service against the uploaded data, after the process is found (train-config.ts).
 */
export const TrainBody = z.object(
  {
    external_process_id: requiredString('external_process_id', { example: '0b6f3c52-7f1e-4a8e-9d3b-5c2a1e9f4d70' }),
    name: z
      .custom<string | null | undefined>()
      .optional()
      .transform((v, ctx): string | null => {
        if (v === undefined || v === null) return null;
        if (typeof v !== 'string') return fail(ctx, 'INVALID_PARAMETER', `name: got ${got(v)}; allowed: a string`);
        return v;
      })
      .meta({ type: 'string', description: 'Model name', example: 'churn model' }),
    config: z
      .custom<TrainConfigInput>()
      .optional()
      .transform((v) => v as unknown)
      .meta(trainConfigJsonSchema()),
  },
  { error: (iss) => (iss.code === 'invalid_type' ? 'expected a JSON object with external_process_id, name and config' : undefined) },
);
export type TrainBodyInput = z.input<typeof TrainBody>;
export type TrainBody = z.output<typeof TrainBody>;

export const TrainResponse = z.object({ external_process_id: z.string() });

export const TrainStatusQuery = z.object({ external_process_id: requiredString('external_process_id') });

export const PROCESS_STATUSES = ['waiting', 'running', 'finished', 'failed'] as const;

export const TrainStatusResponse = z.object({
  status: z.enum(PROCESS_STATUSES),
  created_datetime: Timestamp,
  updated_datetime: Timestamp,
  progress: z.number().int().optional().meta({ description: '0–100' }),
  message: z.string().optional().meta({ description: 'When failed: what to fix' }),
  model_id: z.number().int().optional(),
  result_url: z.string().optional().meta({ description: 'Signed, 1 h: the result zip' }),
});
export type TrainStatusResponse = z.infer<typeof TrainStatusResponse>;

export const ModelItem = z.object({
  model_id: z.number().int(),
  owner_user_id: z.string(),
  target_type: z.enum(TASK_TYPES),
  name: z.string().nullable(),
  version: z.string().meta({ description: 'The Yosoku version that trained it' }),
  config: z.record(z.string(), z.unknown()).meta({ description: 'The config as sent' }),
  external_process_id: z.string().meta({ description: 'Ours: the training process; GET models/results with it gives the status and the result zip' }),
  metrics: z
    .record(z.string(), z.number())
    .meta({ description: 'Ours: the headline metrics on the evaluation data (as in metrics.csv), e.g. auc, accuracy, rmse' }),
  is_api_option: z.boolean(),
  updated_date: Timestamp,
  created_date: Timestamp,
});
export type ModelItem = z.infer<typeof ModelItem>;

export const ModelList = z.object({ models: z.array(ModelItem), metadata: PageMetadata });
export type ModelList = z.infer<typeof ModelList>;

export const ModelParams = z.object({ model_id: looseInt('model_id', 1) });

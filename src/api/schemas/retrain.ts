/** Retrain Data Upload, Retrain Status Check, Retrain Model Switch (spec §2.15–§2.17). zod only. */
import { z } from 'zod';
import { optionalString, requiredString } from './loose.js';
import { JOB_STATUSES } from './classifiers.js';

export const RetrainUploadQuery = z.object({
  filename: requiredString('filename', { description: '.csv, .tsv, .zip (train_src/, eval_src/) or .xlsx', example: 'retrain.csv' }),
  sheet: optionalString('sheet', { description: 'Ours, with an .xlsx filename: the sheet to read' }),
});

export const RetrainUploadResponse = z.object({ retrain_job_id: z.string(), upload_url: z.string() });

export const RetrainParams = z.object({ retrain_job_id: requiredString('retrain_job_id') });

export const RetrainStatusResponse = z.object({
  status: z.enum(JOB_STATUSES),
  model_id: z.number().int().optional().meta({ description: 'The new model' }),
  message: z.string().optional(),
  download_url: z.string().optional().meta({ description: 'Signed, 1 h: the comparison zip' }),
  metadata: z.object({ retrain_job_id: z.string() }),
});
export type RetrainStatusResponse = z.infer<typeof RetrainStatusResponse>;

export const RetrainSwitchResponse = z.object({ metadata: z.object({ retrain_job_id: z.string() }) });

/** Create / Get / Update / Delete Classifier (spec §2.10–§2.13) and batch predictions (ours). zod only. */
import { z } from 'zod';
import { bodyObject, fail, got, looseBool, looseInt, optionalString, requiredString } from './loose.js';
import { PageMetadata, Timestamp } from './common.js';

export const IpRule = z.object({
  source: z.string().meta({ description: 'CIDR, IPv4 or IPv6', example: '203.0.113.0/24' }),
  order: z.enum(['allow', 'deny']),
  priority: z.number().int(),
});
export type IpRule = z.infer<typeof IpRule>;

/** Rules are checked by the service (ip-rules), which names the field: here they are passed on as sent. */
const RulesInput = z
  .custom<readonly unknown[] | undefined>()
  .optional()
  .meta({
    type: 'array',
    maxItems: 100,
    items: { type: 'object', properties: { source: { type: 'string' }, order: { type: 'string', enum: ['allow', 'deny'] }, priority: { type: 'integer' } } },
  });

export const CreateClassifierBody = bodyObject(
  {
    model_id: looseInt('model_id', 1, Number.MAX_SAFE_INTEGER, { error: 'INVALID_PARAMETER', example: 1 }),
    rules: RulesInput,
  },
  'expected a JSON object with model_id and rules',
);
export type CreateClassifierBody = z.output<typeof CreateClassifierBody>;

export const CreateClassifierResponse = z.object({
  classifier_id: z.string().meta({ description: '16 lowercase alphanumerics', example: 'k3v9q2m7x1p8s4d6' }),
  api_key: z.string().meta({ description: "The classifier's inference key" }),
  version: z.string().meta({ example: '1' }),
});

export const CLASSIFIER_STATUSES = ['building', 'running', 'updating', 'terminating', 'terminated', 'failed'] as const;

export const ClassifierItem = z.object({
  classifier_id: z.string(),
  model_id: z.number().int(),
  status: z.enum(CLASSIFIER_STATUSES),
  api_key: z.string(),
  version: z.string(),
  url: z.string().nullable().meta({ description: 'The inference URL, null until built' }),
  active: z.boolean(),
  is_editable: z.boolean(),
  create_datetime: Timestamp,
  update_datetime: Timestamp,
  rules: z.array(IpRule),
});
export type ClassifierItem = z.infer<typeof ClassifierItem>;

export const ClassifierList = z.object({ classifiers: z.array(ClassifierItem), metadata: PageMetadata });
export const ClassifierResponse = z.object({ classifier: ClassifierItem });

export const ClassifierParams = z.object({ classifier_id: requiredString('classifier_id') });

export const UpdateClassifierBody = bodyObject(
  {
    rules: RulesInput,
    active: looseBool('active', undefined, { error: 'INVALID_BODY' }),
    is_editable: looseBool('is_editable', undefined, { error: 'INVALID_BODY', description: 'true = unlocked' }),
  },
  'expected a JSON object with rules, active and/or is_editable',
);
export type UpdateClassifierBody = z.output<typeof UpdateClassifierBody>;

/** Batch prediction options (defaults as for inference). */
export const BatchBody = bodyObject(
  {
    filename: z
      .custom<string | undefined>()
      .optional()
      .transform((v, ctx): string | undefined => {
        if (v === undefined) return undefined;
        if (typeof v !== 'string' || v === '') return fail(ctx, 'INVALID_PARAMETER', `filename: got ${got(v)}; allowed: a non-empty string`);
        return v;
      })
      .meta({ type: 'string', description: 'Default input.csv; ending in .xlsx: an Excel workbook, converted on upload', example: 'rows.csv' }),
    sheet: optionalString('sheet', { error: 'INVALID_PARAMETER', description: 'With an .xlsx filename: the sheet to read' }),
    ar: looseBool('ar', undefined),
    ad: looseBool('ad', undefined),
    nc: looseBool('nc', undefined),
    nr: looseBool('nr', undefined),
    pc: z
      .custom<string | undefined>()
      .optional()
      .transform((v, ctx): string | null => {
        if (v === undefined || v === null) return null;
        if (typeof v !== 'string' || v === '') return fail(ctx, 'INVALID_BODY', `pc: got ${got(v)}; allowed: a column name`);
        return v;
      })
      .meta({ type: 'string', description: 'Key column copied to the outputs' }),
  },
  'expected a JSON object {filename, ar, ad, nc, nr, pc}',
)
  .optional()
  .transform((b) => b ?? { filename: undefined, sheet: undefined, ar: undefined, ad: undefined, nc: undefined, nr: undefined, pc: null });
export type BatchBody = z.output<typeof BatchBody>;

export const BatchOpenResponse = z.object({
  batch_prediction_id: z.string(),
  upload_url: z.string().meta({ description: 'Signed PUT URL for the CSV (or .xlsx)' }),
});

export const BatchParams = z.object({ classifier_id: requiredString('classifier_id'), batch_id: requiredString('batch_prediction_id') });

export const JOB_STATUSES = ['job_waiting', 'job_running', 'job_finished', 'job_failed'] as const;

export const BatchStatusResponse = z.object({
  batch_prediction_id: z.string(),
  classifier_id: z.string(),
  status: z.enum(JOB_STATUSES),
  progress: z.number().int(),
  model_id: z.number().int().optional(),
  message: z.string().optional(),
  download_url: z.string().optional().meta({ description: 'Signed, 1 h: a zip of prediction_valid.csv, prediction_analysis.csv, prediction_invalid.csv' }),
  rows: z.object({ total: z.number().int(), predicted: z.number().int(), invalid: z.number().int() }).optional(),
  create_datetime: Timestamp,
  update_datetime: Timestamp,
});
export type BatchStatusResponse = z.infer<typeof BatchStatusResponse>;

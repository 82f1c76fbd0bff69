/** Train Data Upload, Train Data Set Info, Get / Delete Data Set (spec §2.2, §2.3, §2.8, §2.9). zod only. */
import { z } from 'zod';
import { fail, got, isAbsent, looseBool, looseInt, optionalString, requiredString } from './loose.js';
import { PageMetadata, Timestamp } from './common.js';

export const UPLOAD_EXTENSIONS = ['csv', 'tsv', 'xlsx'] as const;
export type UploadExtension = (typeof UPLOAD_EXTENSIONS)[number];

export const UploadUrlQuery = z
  .object({
    extension: z
      .custom<UploadExtension | undefined>()
      .optional()
      .meta({
        type: 'string',
        enum: [...UPLOAD_EXTENSIONS],
        default: 'csv',
        description: 'How the data files are read; xlsx files are converted to CSV on upload',
      }),
    sheet: z
      .custom<string | undefined>()
      .optional()
      .meta({ type: 'string', description: 'With extension=xlsx: the sheet to read (default: the first sheet)', example: 'Data' }),
  })
  .transform((q, ctx) => {
    const extension = isAbsent(q.extension) ? 'csv' : (q.extension as unknown);
    if (typeof extension !== 'string' || !(UPLOAD_EXTENSIONS as readonly string[]).includes(extension)) {
      return fail(ctx, 'INVALID_PARAMETER', `extension: got ${got(extension)}; allowed: ${UPLOAD_EXTENSIONS.join(', ')}`);
    }
    const sheet = isAbsent(q.sheet) ? undefined : (q.sheet as unknown);
    if (sheet !== undefined && (typeof sheet !== 'string' || extension !== 'xlsx')) {
      return fail(ctx, 'INVALID_PARAMETER', `sheet: got ${got(sheet)}; allowed: a sheet name, with extension=xlsx`);
    }
    return { extension: extension as UploadExtension, sheet: sheet as string | undefined };
  });
export type UploadUrlQuery = z.output<typeof UploadUrlQuery>;

const SignedUrl = z.string().meta({ description: 'Signed, absolute, valid for SIGNED_URL_TTL_SECONDS; PUT the raw bytes, no API key' });

export const UploadUrlResponse = z.object({
  learn_data_set_upload_url: SignedUrl,
  eval_data_set_upload_url: SignedUrl,
  column_info_upload_url: SignedUrl,
  external_process_id: z.string().meta({ example: '0b6f3c52-7f1e-4a8e-9d3b-5c2a1e9f4d70' }),
});
export type UploadUrlResponse = z.infer<typeof UploadUrlResponse>;

export const ColumnInfoQuery = z.object({
  external_process_id: requiredString('external_process_id'),
  target: optionalString('target', { description: 'Ours: a column name that turns on cor_score' }),
  tsm: looseBool('tsm', false, {
    error: 'INVALID_PARAMETER',
    description: 'Ours: time-series mode: cor_score is null for every column and time_series reports the time unit (docs/timeseries.md §API)',
  }),
  tsc: optionalString('tsc', { description: 'Ours, with tsm=true: the time column whose unit time_series reports (default: the first date column)' }),
});
export type ColumnInfoQuery = z.output<typeof ColumnInfoQuery>;

export const ColumnInfoColumn = z.object({
  column_id: z.number().int().meta({ description: '0-based position in the file' }),
  name: z.string(),
  initial_data_type: z.number().int().meta({ description: '0 ignore, 1 integer, 2 float, 3 string, 4 text, 5 date' }),
  available_data_types: z.array(z.number().int()),
  unique_count: z.number().int(),
  data_count: z.number().int(),
  missing_count: z.number().int(),
  cor_score: z
    .number()
    .nullable()
    .meta({ description: 'Relevance to `target`: mutual information, damped for high cardinality; null without target, for the target, text and dates' }),
  predictive_power: z
    .number()
    .nullable()
    .optional()
    .meta({ description: 'Ours: held-out information about the target, for every column; null without target' }),
  predictive_power_basis: z.enum(['values', 'bins', 'words', 'date_parts']).nullable().optional(),
  classify_value: z.array(z.object({ name: z.string(), value: z.number().int() })).meta({ description: 'Up to 20 most frequent values with their counts' }),
  numerical_value: z.array(z.object({ max_value: z.number(), min_value: z.number(), avg_value: z.number(), median_value: z.number() })),
  range_pick_info: z
    .object({
      numeric: z.object({ max_val: z.number(), min_val: z.number(), initial_threshold: z.number() }).nullable(),
      date: z.object({ max_epoc_sec: z.number(), min_epoc_sec: z.number(), initial_threshold_epoc_sec: z.number(), time_unit_id: z.number().int() }).nullable(),
    })
    .nullable(),
});
export type ColumnInfoColumn = z.infer<typeof ColumnInfoColumn>;

export const ColumnInfoResponse = z.object({
  raw_column_names: z.array(z.string()),
  raw_training_data: z.array(z.object({ row_data: z.string() })).meta({ description: 'The first 10 data rows as CSV lines' }),
  training_data_columns: z.array(ColumnInfoColumn),
  useless_column_list: z.array(z.string()),
  trainingdata_row_count: z.number().int(),
  time_series: z
    .object({
      time_column: z.string().nullable().meta({ description: 'tsc, else the first date column; null without a date column' }),
      time_unit_id: z
        .number()
        .int()
        .nullable()
        .meta({ description: 'The unit its timestamps imply: 1 year, 2 month, 3 day, 4 hour, 5 minute, 6 end of month (TIME_UNIT_ID)' }),
    })
    .optional()
    .meta({ description: 'Ours, only with tsm=true' }),
});
export type ColumnInfoResponse = z.infer<typeof ColumnInfoResponse>;

export const DataSetItem = z.object({
  data_set_id: z.number().int(),
  owner_user_id: z.string(),
  name: z.string().nullable(),
  extension: z.string(),
  column_count: z.number().int(),
  data_count: z.number().int(),
  data_size: z.number().int().meta({ description: 'Uploaded bytes' }),
  download_url: z.string().meta({ description: 'Signed, 1 h: the stored file as UTF-8' }),
  updated_date: Timestamp,
  created_date: Timestamp,
});
export type DataSetItem = z.infer<typeof DataSetItem>;

export const DataSetList = z.object({ data_sets: z.array(DataSetItem), metadata: PageMetadata });
export type DataSetList = z.infer<typeof DataSetList>;

export const DataSetParams = z.object({ data_set_id: looseInt('data_set_id', 1) });

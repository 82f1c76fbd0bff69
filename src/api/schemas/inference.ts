/**
 * Inference (spec §2.14, docs/deploy.md): the body is checked by deploy/inference-request.ts,
 * which answers the documented `4001030104 Invalid request` with what was wrong; this schema
 * describes it for the document and the client. zod only.
 */
import { z } from 'zod';

export const InferenceInput = z.object({
  name: z
    .enum(['pr', 'ar', 'ad', 'nc', 'nr', 'pc'])
    .meta({ description: 'pr: the rows (base64 CSV); ar: reasons; ad: append the input; nc: no label; nr: no row number; pc: key column' }),
  type: z.enum(['csv', 'boolean', 'string']),
  data: z.union([z.string(), z.boolean()]),
});

export const InferenceBody = z.object({ inputs: z.array(InferenceInput) }).meta({
  example: {
    inputs: [
      { name: 'pr', type: 'csv', data: 'YWdlLHBsYW4KMzQscHJvCg==' },
      { name: 'ar', type: 'boolean', data: true },
    ],
  },
});
export type InferenceBody = z.infer<typeof InferenceBody>;

export const InferenceParams = z.object({ group_id: z.string(), classifier_id: z.string() });

export const InferenceResponse = z.object({
  version: z.string().meta({ description: "The classifier's version (increments on a model switch)" }),
  outputs: z
    .array(
      z.object({
        name: z.string().meta({ example: 'prediction_valid.csv' }),
        type: z.string().optional(),
        data: z.string().meta({ description: 'base64 CSV' }),
      }),
    )
    .readonly(),
  warnings: z.array(z.string()).readonly().optional(),
});
export type InferenceResponse = z.infer<typeof InferenceResponse>;

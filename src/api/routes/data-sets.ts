/** Train Data Upload, Train Data Set Info, Get/Delete Data Set (spec §2.2, §2.3, §2.8, §2.9). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireKey } from '../auth.js';
import { AppError } from '../../domain/errors.js';
import { columnInfoBody } from '../compat/column-info.js';
import { dataSetItem, pageMetadata } from '../compat/resources.js';
import { ColumnInfoQuery, ColumnInfoResponse, DataSetList, DataSetParams, Empty, PageQuery, UploadUrlQuery, UploadUrlResponse } from '../schemas/index.js';
import type { AppServices } from '../services.js';
import { errorResponses, security } from './route-schema.js';

const TAGS = ['data sets'];

export function registerDataSetRoutes(app: FastifyInstance, services: AppServices): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const train = { preValidation: requireKey(services, ['train']) };

  r.get('/v1/external/data-sets/upload-url', {
    ...train,
    schema: {
      tags: TAGS,
      summary: 'Train Data Upload',
      description: 'Opens a training process: signed PUT URLs for the training file, an optional evaluation file and an optional column_info.csv.',
      security: security('trainKey'),
      querystring: UploadUrlQuery,
      response: {
        200: UploadUrlResponse.meta({
          example: {
            learn_data_set_upload_url: 'http://127.0.0.1:8080/uploads/0b6f3c52-7f1e-4a8e-9d3b-5c2a1e9f4d70/learn?expires=1767225600&sig=4f…',
            eval_data_set_upload_url: 'http://127.0.0.1:8080/uploads/0b6f3c52-7f1e-4a8e-9d3b-5c2a1e9f4d70/eval?expires=1767225600&sig=9a…',
            column_info_upload_url: 'http://127.0.0.1:8080/uploads/0b6f3c52-7f1e-4a8e-9d3b-5c2a1e9f4d70/column_info?expires=1767225600&sig=c1…',
            external_process_id: '0b6f3c52-7f1e-4a8e-9d3b-5c2a1e9f4d70',
          },
        }),
        ...errorResponses(),
      },
    },
    handler: async (req) => {
      const opened = await services.uploads.openProcess(principalOf(req), req.query);
      return {
        learn_data_set_upload_url: opened.urls.learn,
        eval_data_set_upload_url: opened.urls.eval,
        column_info_upload_url: opened.urls.column_info,
        external_process_id: opened.processId,
      };
    },
  });

  r.get('/v1/external/data-sets/column-info', {
    ...train,
    schema: {
      tags: TAGS,
      summary: 'Train Data Set Info',
      description: 'Column types, counts, statistics, a preview and, with `target`, relevance scores (docs/api.md §3).',
      security: security('trainKey'),
      querystring: ColumnInfoQuery,
      response: {
        200: ColumnInfoResponse.meta({
          example: {
            raw_column_names: ['age', 'plan', 'churn'],
            raw_training_data: [{ row_data: '34,pro,no' }],
            training_data_columns: [
              {
                column_id: 0,
                name: 'age',
                initial_data_type: 1,
                available_data_types: [1, 2, 3, 0],
                unique_count: 48,
                data_count: 500,
                missing_count: 0,
                cor_score: 0.12,
                classify_value: [],
                numerical_value: [{ max_value: 69, min_value: 20, avg_value: 44.1, median_value: 44 }],
                range_pick_info: { numeric: { max_val: 69, min_val: 20, initial_threshold: 60 }, date: null },
              },
            ],
            useless_column_list: [],
            trainingdata_row_count: 500,
          },
        }),
        ...errorResponses(404, 409),
      },
    },
    handler: async (req) => {
      const { external_process_id: id, target, tsm, tsc } = req.query;
      const profile = await services.training.columnInfo(principalOf(req), id, target);
      if (tsc !== undefined && !profile.columnNames.includes(tsc))
        throw new AppError('INVALID_PARAMETER', `tsc: got ${JSON.stringify(tsc)}; allowed: a column of the training file`);
      if (tsc !== undefined && !tsm) throw new AppError('INVALID_PARAMETER', `tsc: got ${JSON.stringify(tsc)}; allowed: only with tsm=true`);
      return columnInfoBody(profile, tsm ? (tsc === undefined ? {} : { timeColumn: tsc }) : undefined);
    },
  });

  r.get('/v1/external/data-sets', {
    ...train,
    schema: {
      tags: TAGS,
      summary: 'Get Data Set',
      description: 'Your data sets, newest first; each with a signed download URL of the stored (UTF-8) file.',
      security: security('trainKey'),
      querystring: PageQuery,
      response: {
        200: DataSetList.meta({
          example: {
            data_sets: [
              {
                data_set_id: 1,
                owner_user_id: '3d7e…',
                name: 'customers.csv',
                extension: 'csv',
                column_count: 3,
                data_count: 500,
                data_size: 10240,
                download_url: 'http://127.0.0.1:8080/downloads/data-sets/3d7e…/1?expires=…&sig=…',
                updated_date: '2026-03-01T00:00:00.000Z',
                created_date: '2026-03-01T00:00:00.000Z',
              },
            ],
            metadata: { offset: 0, limit: 30, total: 1 },
          },
        }),
        ...errorResponses(),
      },
    },
    handler: async (req) => {
      const page = await services.catalog.listDataSets(principalOf(req), req.query);
      return { data_sets: page.items.map(dataSetItem), metadata: pageMetadata(page) };
    },
  });

  r.delete('/v1/external/data-sets/:data_set_id', {
    ...train,
    schema: {
      tags: TAGS,
      summary: 'Delete Data Set',
      description: 'Deletes the data set and its file (models trained on it keep what they need).',
      security: security('trainKey'),
      params: DataSetParams,
      response: { 200: Empty.meta({ example: {} }), ...errorResponses(404) },
    },
    handler: async (req) => {
      await services.catalog.deleteDataSet(principalOf(req), req.params.data_set_id);
      return {};
    },
  });
}

/** Train Data Upload, Train Data Set Info, Get/Delete Data Set (spec §2.2, §2.3, §2.8, §2.9). */
import type { FastifyInstance } from 'fastify';
import { authenticate, queryOf } from '../auth.js';
import { columnInfoBody } from '../compat/column-info.js';
import { dataSetItem, pageMetadata } from '../compat/resources.js';
import type { AppServices } from '../services.js';

export function registerDataSetRoutes(app: FastifyInstance, services: AppServices): void {
  app.get('/v1/external/data-sets/upload-url', async (req) => {
    const principal = await authenticate(services, req, ['train']);
    const q = queryOf(req);
    const opened = await services.uploads.openProcess(principal, q.extension, q.sheet);
    return {
      learn_data_set_upload_url: opened.urls.learn,
      eval_data_set_upload_url: opened.urls.eval,
      column_info_upload_url: opened.urls.column_info,
      external_process_id: opened.processId,
    };
  });

  app.get('/v1/external/data-sets/column-info', async (req) => {
    const principal = await authenticate(services, req, ['train']);
    const q = queryOf(req);
    return columnInfoBody(await services.training.columnInfo(principal, q.external_process_id, q.target));
  });

  app.get('/v1/external/data-sets', async (req) => {
    const principal = await authenticate(services, req, ['train']);
    const q = queryOf(req);
    const page = await services.catalog.listDataSets(principal, q.offset, q.limit);
    return { data_sets: page.items.map(dataSetItem), metadata: pageMetadata(page) };
  });

  app.delete<{ Params: { data_set_id: string } }>('/v1/external/data-sets/:data_set_id', async (req) => {
    const principal = await authenticate(services, req, ['train']);
    await services.catalog.deleteDataSet(principal, req.params.data_set_id);
    return {};
  });
}

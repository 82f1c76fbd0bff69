/** Records → Prediction One JSON shapes: models, data sets, training status (spec §2.5–2.8). */
import type { DataSet, Model, TrainingProcess } from '../../domain/records.js';

export function modelItem(m: Model) {
  return {
    model_id: m.id,
    owner_user_id: m.userId,
    target_type: m.task,
    name: m.name,
    version: m.version,
    config: m.config,
    // Additive: the training process (its status and result zip are at models/results) and the
    // headline metrics on the evaluation data, so a client can list models with their quality.
    external_process_id: m.processId,
    metrics: m.metrics,
    // No paid API option exists here: every model may be deployed (DESIGN §1 row 22).
    is_api_option: false,
    updated_date: m.updatedAt,
    created_date: m.createdAt,
  };
}

export function dataSetItem(d: DataSet & { downloadUrl: string }) {
  return {
    data_set_id: d.id,
    owner_user_id: d.userId,
    name: d.name,
    extension: d.extension,
    column_count: d.columnCount,
    data_count: d.rowCount,
    data_size: d.sizeBytes,
    download_url: d.downloadUrl,
    updated_date: d.updatedAt,
    created_date: d.createdAt,
  };
}

export function pageMetadata(p: { offset: number; limit: number; total: number }) {
  return { offset: p.offset, limit: p.limit, total: p.total };
}

/** Status strings are ours where the spec is silent (DESIGN §1 row 3); extra fields are additive. */
export function trainingStatusBody(p: TrainingProcess, resultUrl: string | null) {
  return {
    status: p.status,
    created_datetime: p.createdAt,
    updated_datetime: p.updatedAt,
    ...(p.progress === null ? {} : { progress: p.progress }),
    ...(p.message === null ? {} : { message: p.message }),
    ...(p.modelId === null ? {} : { model_id: p.modelId }),
    ...(resultUrl === null ? {} : { result_url: resultUrl }),
  };
}

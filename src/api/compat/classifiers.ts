/** Records → Prediction One JSON shapes for classifiers and retrain jobs (spec §2.10–§2.17). */
import type { BatchPrediction, Classifier, RetrainJob } from '../../domain/records.js';

export function classifierItem(c: Classifier) {
  return {
    classifier_id: c.id,
    model_id: c.modelId,
    status: c.status,
    api_key: c.apiKey,
    version: String(c.version),
    url: c.url,
    active: c.active,
    is_editable: c.isEditable,
    create_datetime: c.createdAt,
    update_datetime: c.updatedAt,
    rules: c.rules.map((r) => ({ source: r.source, order: r.order, priority: r.priority })),
  };
}

export function retrainStatusBody(j: RetrainJob, downloadUrl: string | null) {
  return {
    status: j.status,
    ...(j.newModelId === null ? {} : { model_id: j.newModelId }),
    ...(j.message === null ? {} : { message: j.message }),
    ...(downloadUrl === null ? {} : { download_url: downloadUrl }),
    metadata: { retrain_job_id: j.id },
  };
}

export function batchStatusBody(b: BatchPrediction, downloadUrl: string | null) {
  return {
    batch_prediction_id: b.id,
    classifier_id: b.classifierId,
    status: b.status,
    progress: b.progress,
    ...(b.modelId === null ? {} : { model_id: b.modelId }),
    ...(b.message === null ? {} : { message: b.message }),
    ...(downloadUrl === null ? {} : { download_url: downloadUrl }),
    ...(b.rows === null ? {} : { rows: b.rows }),
    create_datetime: b.createdAt,
    update_datetime: b.updatedAt,
  };
}

/**
 * The API's JSON shapes the UI reads, derived from the server's zod schemas (src/api/schemas/, the
 * same ones that check requests and give the OpenAPI document), under the names the UI uses.
 * Type-only imports: nothing of the server reaches the bundle.
 */
import type {
  BatchStatusResponse,
  ClassifierItem,
  ColumnInfoColumn as ColumnInfoColumnShape,
  ColumnInfoResponse,
  DataSetItem as DataSetItemShape,
  InferenceResponse,
  IpRule,
  JOB_STATUSES,
  ModelItem as ModelItemShape,
  RetrainStatusResponse,
  TrainStatusResponse,
  UploadUrlResponse,
} from '../../../src/api/schemas/index.js';

export type ColumnInfoColumn = ColumnInfoColumnShape;
export type ColumnInfo = ColumnInfoResponse;
export type UploadUrls = UploadUrlResponse;
export type TrainStatus = TrainStatusResponse;
export type ClassifierRule = IpRule;
export type Classifier = ClassifierItem;
export type InferenceAnswer = InferenceResponse;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type RetrainStatus = RetrainStatusResponse;
export type BatchStatus = BatchStatusResponse;
export type ModelItem = ModelItemShape;
export type DataSetItem = DataSetItemShape;

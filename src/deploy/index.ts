/** Deploy & predict: classifier lifecycle, IP rules, inference request/response, batch prediction, model cache. Pure logic: no file, stream or thread I/O (test/architecture.test.ts). */
export {
  applyEvent,
  checkDelete,
  CLASSIFIER_STATUSES,
  INITIAL_STATE,
  isServing,
  notServingError,
  planPatch,
  planSwitch,
  runtimeStatusWord,
  type ClassifierPatch,
  type ClassifierState,
  type ClassifierStatus,
  type LifecycleEvent,
  type PatchPlan,
  type SwitchPlan,
} from './classifier-lifecycle.js';
export {
  BATCH_CHUNK_ROWS,
  runBatchPrediction,
  splitCsvRecords,
  type BatchFile,
  type BatchInput,
  type BatchModel,
  type BatchPrediction,
  type BatchSink,
} from './batch.js';
export { BindingCache, DEFAULT_BINDING_TTL_MS, type BindingCacheOptions } from './binding-cache.js';
export { runDecodedInference, runInference, type InferenceContext, type InferenceModel, type InferenceResponse, type InferenceResult } from './inference.js';
export {
  apiKeysEqual,
  checkInferenceAccess,
  newClassifierApiKey,
  newClassifierId,
  type ClassifierAccessView,
  type InferenceCaller,
} from './inference-access.js';
export {
  ANALYSIS_FILE,
  buildInferenceOutputs,
  formatContribution,
  formatNumber,
  formatReason,
  INVALID_FILE,
  PREDICTION_HEADER,
  REASON_DOWN_HEADERS,
  REASON_HEADER,
  REASON_UP_HEADERS,
  ROW_NUMBER_HEADER,
  VALID_FILE,
  type InferenceOutputs,
  type OutputFile,
} from './inference-output.js';
export {
  decodeBase64Strict,
  DEFAULT_FLAGS,
  DEFAULT_MAX_CSV_BYTES,
  invalidRequest,
  parseInferenceRequest,
  parseJsonBody,
  type InferenceFlags,
  type InferenceRequest,
} from './inference-request.js';
export {
  MAX_INFERENCE_ROWS,
  readInferenceTable,
  type InferenceTable,
  type InferenceTableOptions,
  type InvalidRow,
  type ModelInput,
} from './inference-table.js';
export {
  compileRules,
  describeCidrProblem,
  isAllowed,
  MAX_RULES,
  parseCidr,
  parseIp,
  sameRules,
  validateRules,
  type Cidr,
  type CompiledRules,
  type IpAddress,
  type IpRule,
  type RuleOrder,
} from './ip-rules.js';
export { inferenceModelOf, dateFormatsOf } from './inference-model.js';
export { LoadedModels, loadModel, loadedModelBytes, type LoadedModel, type LoadedModelsOptions, type ModelCacheStats } from './loaded-models.js';

/** Deploy & predict: classifier lifecycle, IP rules, inference request/response, model cache, retrain uploads. */
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
export {
  estimateModelBytes,
  ModelBindings,
  ModelCache,
  type LoadedModel,
  type ModelBinding,
  type ModelCacheOptions,
  type ModelCacheStats,
  type ResolvedModel,
} from './model-cache.js';
export {
  dataExtension,
  DEFAULT_MAX_ENTRIES,
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  detectUploadKind,
  prepareRetrainUpload,
  type DataExtension,
  type PrepareRetrainOptions,
  type RetrainFile,
  type RetrainFiles,
  type UploadKind,
} from './retrain-upload.js';

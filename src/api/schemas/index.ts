/**
 * The API's request and response shapes as zod schemas, one module per route family. zod only:
 * the server's routes, the typed client (src/client/) and the web UI import them.
 * From web/src: `import type { ColumnInfoResponse } from "../../src/api/schemas/index.js"` (zod and types only).
 */
export * from './common.js';
export * from './classifiers.js';
export * from './data-sets.js';
export * from './inference.js';
export * from './keys.js';
export * from './loose.js';
export * from './models.js';
export * from './ops.js';
export * from './retrain.js';
export * from './train-config.js';

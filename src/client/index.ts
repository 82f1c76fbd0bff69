/**
 * The typed client of Yosoku's public API (Node 20, on fetch). Types are the server's schemas.
 * In this repository: `import { YosokuClient } from "./src/client/index.js"`.
 */
export { extensionOf, inferenceInputs, inferenceOutput, YosokuClient, type ClientOptions, type InferenceFlags, type Page, type WaitOptions } from './client.js';
export { YosokuApiError } from './errors.js';
export type { UploadProgress, UploadSource } from './upload.js';
export type * from '../api/schemas/index.js';

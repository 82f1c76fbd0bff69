/** The use cases the HTTP layer calls (defined by services/, built in main.ts or in tests). */
export type { Services as AppServices } from '../services/index.js';

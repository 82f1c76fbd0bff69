/**
 * The trainings this tab started (sessionStorage `yosoku.trainings`): the API lists a model only
 * once it is trained, and its model list says nothing of the process or the metrics, so the home
 * shows running trainings and the metrics of finished ones from what this tab knows. Not keys:
 * process ids, names and metric values only.
 */

const KEY = 'yosoku.trainings';

export interface Training {
  readonly processId: string;
  readonly name: string;
  readonly target: string;
  readonly type: string;
  readonly startedAt: string;
  /** Set once the training finished. */
  readonly modelId?: number;
  readonly failed?: boolean;
  /** The headline metric from the result zip, once read. */
  readonly headline?: { readonly name: string; readonly value: number };
}

export function trainings(): Training[] {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw === null ? [] : (JSON.parse(raw) as Training[]);
  } catch {
    return [];
  }
}

export function rememberTraining(t: Training): void {
  const list = trainings().filter((x) => x.processId !== t.processId);
  sessionStorage.setItem(KEY, JSON.stringify([t, ...list]));
}

export function updateTraining(processId: string, change: Partial<Training>): void {
  const list = trainings().map((x) => (x.processId === processId ? { ...x, ...change } : x));
  sessionStorage.setItem(KEY, JSON.stringify(list));
}

export function trainingOfModel(modelId: number): Training | undefined {
  return trainings().find((t) => t.modelId === modelId);
}

export function trainingOf(processId: string): Training | undefined {
  return trainings().find((t) => t.processId === processId);
}

const HEADLINES = 'yosoku.headlines';

/** Headline metrics of models this tab read a result for without a training of its own (retrains). */
export function rememberModelHeadline(modelId: number, headline: { name: string; value: number }): void {
  const map = modelHeadlines();
  map[String(modelId)] = headline;
  sessionStorage.setItem(HEADLINES, JSON.stringify(map));
}

function modelHeadlines(): Record<string, { name: string; value: number }> {
  try {
    return JSON.parse(sessionStorage.getItem(HEADLINES) ?? '{}') as Record<string, { name: string; value: number }>;
  } catch {
    return {};
  }
}

/** The headline metric of a model, if this tab has read its results. */
export function headlineOf(modelId: number): { name: string; value: number } | undefined {
  return trainingOfModel(modelId)?.headline ?? modelHeadlines()[String(modelId)];
}

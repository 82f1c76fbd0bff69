/**
 * The trainings this tab started (sessionStorage `yosoku.trainings`): the API lists a model only
 * once it is trained, so the home shows the running trainings from what this tab knows (the model
 * list then gives every model's metrics and process). Not keys: process ids, names and metric
 * values only.
 */

import { headline } from './evaluation.js';

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

/**
 * The headline metric of a model: from the model list's `metrics` (any model), else from what this
 * tab read of its results.
 */
export function headlineOf(modelId: number, metrics?: Readonly<Record<string, number>>): { name: string; value: number } | undefined {
  const listed = metrics === undefined ? null : headline(new Map(Object.entries(metrics)));
  return listed ?? trainingOfModel(modelId)?.headline ?? modelHeadlines()[String(modelId)];
}

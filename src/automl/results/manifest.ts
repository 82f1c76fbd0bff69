/** model.json: what was trained, how, and how well (the result zip's manifest). */
import { describeMember } from '../members.js';
import type { Ensemble } from '../ensemble.js';
import type { Evaluation } from '../evaluate.js';
import { AUTO_MODEL_VERSION } from '../model.js';
import type { PreprocessPlan } from '../plan.js';
import { TREND_PARTS } from '../plan.js';
import type { Refit, SearchResult } from '../search.js';
import type { Importance } from '../summary.js';
import type { AutoTrainInput } from '../types.js';
import type { ValidationPlan } from '../validation.js';
import type { ImportanceDetail } from '../phases/explanation.js';
import type { TrendPartsDecision } from '../phases/validate.js';

export const AUTOML_VERSION = '0.1.0';

export interface ManifestFacts {
  readonly input: AutoTrainInput;
  readonly plan: PreprocessPlan;
  readonly trendParts: TrendPartsDecision | null;
  readonly validation: ValidationPlan;
  readonly evaluation: Evaluation;
  readonly search: SearchResult;
  readonly ensemble: Ensemble;
  readonly refit: Refit;
  readonly importance: readonly Importance[];
  readonly importanceDetail: ImportanceDetail;
  readonly threshold: number | undefined;
  readonly classWeights: readonly number[] | undefined;
  readonly timings: Readonly<Record<string, number>>;
  readonly nTrain: number;
}

export function buildManifest(f: ManifestFacts): Record<string, unknown> {
  const s = f.input.settings;
  const { plan, search } = f;
  return {
    format: 'yosoku-result-manifest',
    version: 1,
    versions: { automl: AUTOML_VERSION, modelFormat: AUTO_MODEL_VERSION },
    config: {
      target: s.target,
      task: s.task,
      positiveLabel: s.positiveLabel ?? null,
      cv: s.cv,
      imbalance: s.imbalance,
      timeBudgetSeconds: s.timeBudgetSeconds,
      seed: s.seed,
    },
    data: { trainRows: f.nTrain, evaluationFile: f.input.eval !== undefined, evaluationRows: f.evaluation.nRows },
    columns: f.input.train.columns.map((c) => ({
      name: c.name,
      type: c.type,
      used: plan.columns.some((p) => p.name === c.name),
      role: c.name === s.target ? 'target' : 'feature',
    })),
    preprocessing: {
      columns: plan.columns.map((c) => ({
        name: c.name,
        treatment: c.kind,
        ...(c.kind === 'category' ? { levels: c.levels.length, targetStatistics: c.stats !== undefined, textScore: c.text !== undefined } : {}),
        ...(c.kind === 'text' ? { vocabulary: c.text.tokens.length } : {}),
        ...(c.kind === 'date' ? { parts: plan.features.filter((x) => x.column === c.name).map((x) => x.part) } : {}),
      })),
      dropped: plan.dropped,
      features: plan.features.length,
      ...(f.trendParts !== null ? { trendParts: { ...f.trendParts, parts: TREND_PARTS } } : {}),
    },
    validation: {
      kind: f.validation.kind,
      folds: f.validation.nFolds,
      requestedCv: f.validation.requestedCv,
      timeOrderedBy: f.validation.timeOrderedBy ?? null,
      reportedOn: f.input.eval !== undefined ? 'evaluation_file' : 'internal_validation',
    },
    search: {
      candidates: search.candidates.map((c, j) => ({
        learner: c.candidate.kind,
        ...(c.candidate.kind === 'linear' ? { lambda: c.candidate.lambda } : { params: c.candidate.params }),
        bestRounds: c.bestRounds,
        loss: Number(c.score.toPrecision(8)),
        weight: f.ensemble.weights[j],
        ...(c.candidate.kind === 'gbdt' ? { roundCap: c.roundCap } : {}),
      })),
      endedBy: search.endedBy,
      work: { spent: Number(search.work.spent.toPrecision(6)), budget: Number(search.work.budget.toPrecision(6)) },
      stoppedByTime: search.stoppedByTime,
    },
    calibration: {
      temperature: Number(f.ensemble.temperature.toPrecision(6)),
      validationLoss: { raw: Number(f.ensemble.loss.raw.toPrecision(8)), calibrated: Number(f.ensemble.loss.calibrated.toPrecision(8)) },
    },
    refit: { stoppedByTime: f.refit.stoppedByTime },
    // Whether the wall-clock stop changed anything: then, and only then, a rerun may differ.
    stoppedByTimeLimit: search.stoppedByTime || f.refit.stoppedByTime,
    ensemble: f.refit.models.map((m, j) => ({ weight: f.refit.weights[j], ...describeMember(m) })),
    threshold: f.threshold ?? null,
    classWeights: f.classWeights ?? null,
    metrics: f.evaluation.metrics,
    modelLevel: f.evaluation.stars,
    importance: f.importance.map((i) => ({ column: i.column, value: Number(i.value.toPrecision(6)) })),
    importanceDetail: f.importanceDetail,
    seed: s.seed,
    timingsSeconds: f.timings,
  };
}

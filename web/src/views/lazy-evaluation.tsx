/** The evaluation view and echarts: one script file, fetched the first time a result is shown. */
import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../lib/i18n.js';
import type { ResultZip } from '../lib/results.js';

type EvaluationComponent = ComponentType<{ zip: ResultZip; modelId: number | null }>;
let evaluationModule: Promise<EvaluationComponent> | null = null;

function loadEvaluation(): Promise<EvaluationComponent> {
  evaluationModule ??= import('../charts/evaluation-view.js').then((m) => m.EvaluationView);
  return evaluationModule;
}

export function Evaluation({ zip, modelId }: { zip: ResultZip | null; modelId: number | null }): JSX.Element {
  const [view, setView] = useState<EvaluationComponent | null>(null);
  useEffect(() => {
    loadEvaluation().then((c) => setView(() => c));
  }, []);
  const View = view;
  return zip !== null && View !== null ? <View zip={zip} modelId={modelId} /> : <p class="hint">{t('home.loading')}</p>;
}

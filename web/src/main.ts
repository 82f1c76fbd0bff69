/**
 * The Yosoku web UI: one page, ten steps, all through the public REST API (docs/web-ui.md).
 * This file only wires the steps together; each lives in steps/.
 */
import { showError } from './api.js';
import { byId } from './dom.js';
import { applyLang, currentLang, setLang } from './i18n.js';
import { hasSecret } from './session.js';
import { loadColumns } from './steps/columns.js';
import { initDeploy, loadModels, refresh, setModel } from './steps/deploy.js';
import { initBatch, batchClassifier } from './steps/batch.js';
import { initCatalog, loadCatalog } from './steps/catalog.js';
import { initKeys } from './steps/keys.js';
import { initPredict, prefill, useClassifier } from './steps/predict.js';
import { initRetrain, retrainClassifier } from './steps/retrain.js';
import { watchTraining } from './steps/status.js';
import { initTrain, setColumns } from './steps/train.js';
import { initUpload } from './steps/upload.js';

/** sessionStorage: the last uploaded process, and the same id once its training was started. */
const PROCESS = 'yosoku.processId';
const TRAINING = 'yosoku.trainingProcessId';

let processId: string | null = null;

async function columnsFor(pid: string, target: string | null): Promise<void> {
  const info = await loadColumns(pid, target);
  if (info === null) return;
  if (target === null) setColumns(pid, info);
  prefill(info, byId<HTMLSelectElement>('train-target').value);
}

function start(): void {
  const toggle = byId<HTMLButtonElement>('lang-toggle');
  const syncToggle = () => (toggle.textContent = currentLang() === 'ja' ? 'English' : '日本語');
  toggle.addEventListener('click', () => {
    setLang(currentLang() === 'ja' ? 'en' : 'ja');
    syncToggle();
  });
  applyLang();
  syncToggle();

  const reloadCatalog = () => loadCatalog().catch((err: unknown) => showError(byId('catalog-error'), err));
  const loadClassifiers = () => {
    refresh().catch((err: unknown) => showError(byId('deploy-error'), err));
    loadModels().catch(() => undefined); // only suggestions; the field also takes any id
    void reloadCatalog();
  };
  initKeys(loadClassifiers);
  const trained = (modelId: number) => {
    setModel(modelId);
    void reloadCatalog();
  };
  initUpload((pid) => {
    void reloadCatalog(); // the new data set
    processId = pid;
    sessionStorage.setItem(PROCESS, pid);
    sessionStorage.removeItem(TRAINING);
    void columnsFor(pid, null);
  });
  initTrain(
    (target) => {
      if (processId !== null) void columnsFor(processId, target);
    },
    (pid) => {
      sessionStorage.setItem(TRAINING, pid);
      void watchTraining(pid, trained);
    },
  );
  // "Use this API": the classifier for predictions, retraining and batches.
  initDeploy((c) => {
    useClassifier(c);
    retrainClassifier(c);
    batchClassifier(c);
  });
  initPredict();
  initRetrain((c) => {
    useClassifier(c);
    batchClassifier(c);
    loadClassifiers();
  });
  initBatch();
  initCatalog();
  if (hasSecret()) {
    loadClassifiers();
    // After a reload: the last upload's analysis and, if it was started, its training.
    const pid = sessionStorage.getItem(PROCESS);
    if (pid !== null) {
      processId = pid;
      void columnsFor(pid, null);
      if (sessionStorage.getItem(TRAINING) === pid) void watchTraining(pid, trained);
    }
  }
  document.body.dataset.ready = 'true';
}

start();

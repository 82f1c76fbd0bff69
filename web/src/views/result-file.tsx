/**
 * A result zip opened from disk (`#/result`): the examples and scripts save `result.zip`, and the
 * API's model list does not lead back to a model's training, so any result can be read here,
 * in the browser only (nothing is sent).
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorBox } from '../components/common.js';
import { t } from '../lib/i18n.js';
import { openZip, type ResultZip } from '../lib/results.js';
import { Evaluation } from './lazy-evaluation.js';

export function ResultFile(): JSX.Element {
  const [zip, setZip] = useState<ResultZip | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <div id="result-file">
      <div class="page-head">
        <h1>{t('resultFile.title')}</h1>
        <a href="#/" class="button quiet">
          {t('action.home')}
        </a>
      </div>
      <section class="card">
        <p class="hint">{t('resultFile.hint')}</p>
        <label>
          <span>{t('resultFile.choose')}</span>
          <input
            id="result-file-input"
            type="file"
            accept=".zip,application/zip"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              setZip(null);
              setError(null);
              if (file === undefined) return;
              file.arrayBuffer().then(
                (b) => setZip(openZip(null, new Uint8Array(b))),
                (err: unknown) => setError(err),
              );
            }}
          />
        </label>
        <ErrorBox id="result-file-error" error={error} />
      </section>
      {zip !== null ? <Evaluation zip={zip} modelId={null} /> : null}
    </div>
  );
}

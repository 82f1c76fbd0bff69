/** Step 2: open a training process and PUT the files to its signed upload URLs, with progress. */
import { call, clearError, showError, upload } from '../api.js';
import { byId, h, show } from '../dom.js';
import { label } from '../i18n.js';
import { apiKey } from '../session.js';
import type { UploadUrls } from '../types.js';

export function initUpload(onUploaded: (processId: string) => void): void {
  const form = byId<HTMLFormElement>('upload-form');
  const progress = byId('upload-progress');
  const error = byId('upload-error');

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearError(error);
    const learn = byId<HTMLInputElement>('file-learn').files?.[0];
    const evalFile = byId<HTMLInputElement>('file-eval').files?.[0];
    const columnInfo = byId<HTMLInputElement>('file-column-info').files?.[0];
    if (learn === undefined) return;
    const button = byId<HTMLButtonElement>('upload-submit');
    button.disabled = true;
    progress.replaceChildren();
    progress.dataset.state = 'uploading';
    (async () => {
      const extension = learn.name.toLowerCase().endsWith('.tsv') ? 'tsv' : 'csv';
      const urls = await call<UploadUrls>('GET', `v1/external/data-sets/upload-url?extension=${extension}`, await apiKey('train'));
      const files: [File | undefined, string][] = [
        [learn, urls.learn_data_set_upload_url],
        [evalFile, urls.eval_data_set_upload_url],
        [columnInfo, urls.column_info_upload_url],
      ];
      for (const [file, url] of files) {
        if (file === undefined) continue;
        const bar = h('progress', { max: '1', value: '0' });
        const state = h('span', {});
        progress.append(h('div', { class: 'progress-line' }, `${file.name} `, bar, ' ', state));
        try {
          await upload(url, file, (f) => (bar.value = f));
          bar.value = 1;
          show(state, label('upload.done'));
        } catch (err) {
          show(state, label('upload.failed'));
          throw err;
        }
      }
      progress.dataset.state = 'done';
      onUploaded(urls.external_process_id);
    })()
      .catch((err: unknown) => {
        progress.dataset.state = 'failed';
        showError(error, err);
      })
      .finally(() => (button.disabled = false));
  });
}

/** Step 1: paste the secret key → train API key (kept in sessionStorage). */
import { clearError, showError } from '../api.js';
import { byId, show } from '../dom.js';
import { label } from '../i18n.js';
import { exchange, forget, trainKeyInfo } from '../session.js';

export function initKeys(onReady: () => void): void {
  const form = byId<HTMLFormElement>('keys-form');
  const input = byId<HTMLInputElement>('secret-key');
  const status = byId('keys-status');
  const error = byId('keys-error');

  const render = () => {
    const key = trainKeyInfo();
    if (key === null) show(status, label('keys.none'));
    else show(status, label('keys.ready'), ' ', key.endDate);
    status.dataset.state = key === null ? 'none' : 'ready';
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearError(error);
    const button = byId<HTMLButtonElement>('keys-submit');
    button.disabled = true;
    exchange(input.value.trim(), 'train')
      .then(() => {
        input.value = '';
        render();
        onReady();
      })
      .catch((err: unknown) => showError(error, err))
      .finally(() => (button.disabled = false));
  });
  byId('keys-forget').addEventListener('click', () => {
    forget();
    render();
  });
  render();
}

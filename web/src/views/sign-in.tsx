/** The first screen: the secret key → a train API key (`GET /v1/external/api-key`), kept in sessionStorage. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorBox, useAction } from '../components/common.js';
import { t } from '../lib/i18n.js';
import { exchange } from '../lib/session.js';

export function SignIn({ onSignedIn }: { onSignedIn: () => void }): JSX.Element {
  const [secret, setSecret] = useState('');
  const action = useAction();
  return (
    <section class="card narrow" id="sign-in">
      <p class="lead">{t('tagline')}</p>
      <h1>{t('keys.title')}</h1>
      <p class="hint">{t('keys.hint')}</p>
      <form
        id="keys-form"
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          action.run(async () => {
            await exchange(secret.trim(), 'train');
            onSignedIn();
          });
        }}
      >
        <label>
          <span>{t('keys.secret')}</span>
          <input
            id="secret-key"
            type="password"
            autocomplete="off"
            spellcheck={false}
            required
            value={secret}
            onInput={(e) => setSecret(e.currentTarget.value)}
          />
        </label>
        <button id="keys-submit" type="submit" class="primary" disabled={action.busy}>
          {t('keys.submit')}
        </button>
      </form>
      <ErrorBox id="keys-error" error={action.error} />
    </section>
  );
}

/**
 * The shell: header (name, language, sign out), the sign-in screen until a secret key is in this
 * tab, then the view of the current hash route. Switching the language re-renders everything.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { currentLang, onLangChange, setLang, t } from './lib/i18n.js';
import { parseRoute, type Route } from './lib/route.js';
import { forget, hasSecret } from './lib/session.js';
import { ApiView } from './views/api-view.js';
import { Home } from './views/home.js';
import { ModelView } from './views/model-view.js';
import { NewModel } from './views/new-model.js';
import { ResultFile } from './views/result-file.js';
import { SignIn } from './views/sign-in.js';
import { TrainingView } from './views/training-view.js';

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const f = () => {
      setRoute(parseRoute(location.hash));
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', f);
    return () => window.removeEventListener('hashchange', f);
  }, []);
  return route;
}

function View({ route }: { route: Route }): JSX.Element {
  switch (route.view) {
    case 'home':
      return <Home />;
    case 'new':
      return <NewModel />;
    case 'result':
      return <ResultFile />;
    case 'training':
      return <TrainingView key={route.processId} processId={route.processId} />;
    case 'model':
      return <ModelView key={route.modelId} modelId={route.modelId} tab={route.tab} />;
    case 'api':
      return <ApiView key={route.classifierId} classifierId={route.classifierId} tab={route.tab} />;
  }
}

export function App(): JSX.Element {
  const [, setLangTick] = useState(0);
  const [signedIn, setSignedIn] = useState(hasSecret());
  const route = useRoute();
  useEffect(() => onLangChange(() => setLangTick((x) => x + 1)), []);
  useEffect(() => {
    document.body.dataset.ready = 'true';
  }, []);
  const lang = currentLang();
  return (
    <>
      <header class="top">
        <a class="brand" href="#/">
          Yosoku <span class="kanji">予測</span>
        </a>
        <span class="tagline">{t('tagline')}</span>
        <span class="top-actions">
          {signedIn ? (
            <button
              id="sign-out"
              type="button"
              class="quiet"
              onClick={() => {
                forget();
                setSignedIn(false);
                location.hash = '#/';
              }}
            >
              {t('keys.forget')}
            </button>
          ) : null}
          <button id="lang-toggle" type="button" class="quiet" onClick={() => setLang(lang === 'ja' ? 'en' : 'ja')}>
            {lang === 'ja' ? 'English' : '日本語'}
          </button>
        </span>
      </header>
      <main id="main">{signedIn ? <View route={route} /> : <SignIn onSignedIn={() => setSignedIn(true)} />}</main>
    </>
  );
}

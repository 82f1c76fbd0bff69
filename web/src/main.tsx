/** The Yosoku web UI: a client of the public REST API and nothing more (docs/web-ui.md). */
import { render } from 'preact';
import { App } from './app.js';
import { currentLang } from './lib/i18n.js';

document.documentElement.lang = currentLang();
render(<App />, document.getElementById('app')!);

/**
 * Hash routes (`#/model/3`): the page is one file served at `/`, so the views live in the fragment,
 * which also keeps them out of server logs. Parsed here, rendered by app.tsx.
 */

export type Route =
  | { readonly view: 'home' }
  | { readonly view: 'new' }
  | { readonly view: 'result' }
  | { readonly view: 'training'; readonly processId: string }
  | { readonly view: 'model'; readonly modelId: number; readonly tab: string }
  | { readonly view: 'api'; readonly classifierId: string; readonly tab: string };

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .map((p) => decodeURIComponent(p));
  const [view = '', id = '', tab = ''] = parts;
  if (view === 'new') return { view: 'new' };
  if (view === 'result') return { view: 'result' };
  if (view === 'training' && id !== '') return { view: 'training', processId: id };
  if (view === 'model' && /^\d+$/.test(id)) return { view: 'model', modelId: Number(id), tab };
  if (view === 'api' && id !== '') return { view: 'api', classifierId: id, tab };
  return { view: 'home' };
}

export function href(route: Route): string {
  switch (route.view) {
    case 'home':
      return '#/';
    case 'new':
      return '#/new';
    case 'result':
      return '#/result';
    case 'training':
      return `#/training/${encodeURIComponent(route.processId)}`;
    case 'model':
      return `#/model/${route.modelId}${route.tab === '' ? '' : `/${route.tab}`}`;
    case 'api':
      return `#/api/${encodeURIComponent(route.classifierId)}${route.tab === '' ? '' : `/${route.tab}`}`;
  }
}

export function go(route: Route): void {
  location.hash = href(route);
}

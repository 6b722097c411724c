// The till runs on IndexedDB, Web Locks and terminals reachable only from the browser: no SSR.
export const ssr = false;
export const prerender = false;

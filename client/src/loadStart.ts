/**
 * Imported first by extension.ts, so this runs before any other module of the
 * bundle is evaluated: the start of "loading the extension" as our code sees it.
 */
export const loadStart = performance.now();

// @ts-check
// One view is on screen at a time. Leaving it aborts its requests and destroys its
// charts, so late responses never paint over the next view.
import { ApiError } from './api.js';
import { errorBox } from './dom.js';

/** @typedef {{ abort: AbortController, charts: { destroy(): void }[] }} ViewContext */

const root = /** @type {HTMLElement} */ (document.getElementById('view'));

/** @type {ViewContext} */
let current = { abort: new AbortController(), charts: [] };

/**
 * Ends the current view and returns the context ({ abort, charts }) of the next one.
 * @returns {ViewContext}
 */
export function newView() {
  current.abort.abort();
  for (const c of current.charts) c.destroy();
  current = { abort: new AbortController(), charts: [] };
  return current;
}

export function mount(...nodes) {
  root.replaceChildren(...nodes);
}

/**
 * Runs `load`, then renders into `target` with `render(result)`; errors go into the card. Ignores results of a view that was left.
 * @template T
 * @param {{ set: (...nodes: any[]) => void }} target
 * @param {ViewContext} ctx
 * @param {() => Promise<T>} load
 * @param {(result: T) => any} render
 */
export async function fill(target, ctx, load, render) {
  try {
    const result = await load();
    if (ctx.abort.signal.aborted) return;
    const out = await render(result);
    if (ctx.abort.signal.aborted) return;
    if (out !== undefined) target.set(...[out].flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false));
  } catch (err) {
    if (ctx.abort.signal.aborted || (err instanceof Error && err.name === 'AbortError')) return;
    if (err instanceof ApiError && err.status === 401) return; // handled: back to sign-in
    console.error(err);
    target.set(errorBox(err));
  }
}

/** Registers the chart with the view so leaving the view destroys it; a chart that fails to build leaves an error in its place. */
export function chartInto(ctx, el, make) {
  try {
    const c = make();
    ctx.charts.push(c);
    return c;
  } catch (err) {
    el.replaceChildren(errorBox(err));
    return null;
  }
}

// @ts-check
// Element builders shared by every view. Text is always set as text, never parsed as HTML.
import { ApiError } from './api.js';
import * as f from './format.js';

/** Builds an element; children are nodes or text (never parsed as HTML). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** @typedef {ReturnType<typeof card>} Card */

/**
 * A titled section that shows "Loading…" until `set` replaces its body.
 * @param {string} title
 * @param {{ hint?: string, actions?: Node | null, id?: string, cls?: string }} [opts]
 */
export const card = (title, { hint, actions, id, cls } = {}) => {
  const body = h('div', { class: 'card-body' }, h('p', { class: 'muted loading' }, 'Loading…'));
  const el = h('section', { class: `card ${cls ?? ''}`, id }, h('div', { class: 'card-head' }, h('div', null, h('h2', null, title), hint ? h('div', { class: 'hint' }, hint) : null), actions ?? null), body);
  return { el, body, set: (...nodes) => body.replaceChildren(...nodes) };
};

export const empty = (text) => h('p', { class: 'empty' }, text);
export const badge = (rec) => h('span', { class: `badge ${f.recommendationClass(rec)}`, dataset: { recommendation: rec ?? '' } }, f.recommendationLabel(rec));

export function fact(label, value) {
  return h('div', null, h('dt', null, label), h('dd', null, value));
}

/** A 403 is a role limit, not a failure: say so quietly instead of showing an error. */
export function errorBox(err) {
  if (err instanceof ApiError && err.status === 403) return h('p', { class: 'empty' }, 'Your role cannot see this section.');
  return h('p', { class: 'error', role: 'alert' }, err?.message ?? String(err));
}

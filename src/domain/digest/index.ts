/** Digests people read: the content model, its Markdown and Slack renderings, and chat-message primitives. */
export * from './format.js';
export * from './title.js';
export * from './model.js';
export * from './markdown.js';
export * from './slack.js';

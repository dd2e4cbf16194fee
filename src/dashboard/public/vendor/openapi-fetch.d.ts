// Types only: api.js imports './vendor/openapi-fetch.js', which the dashboard controller serves from
// node_modules/openapi-fetch (its browser ESM build); this tells the type check (tsconfig.js-clients.json)
// that the module is openapi-fetch. No file of this folder is served.
export * from 'openapi-fetch';
export { default } from 'openapi-fetch';

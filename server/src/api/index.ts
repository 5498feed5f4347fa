export { createTemperServer, TEMPER_VERSION, type CreateServerOptions, type TemperServer } from './app.ts';
export { attachGraphqlWs } from './graphql-ws.ts';

export { authenticate, parseBearer } from './bearer.ts';
export { ensureInitialOwner, INITIAL_OWNER } from './bootstrap.ts';

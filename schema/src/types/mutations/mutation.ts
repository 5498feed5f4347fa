import { builder } from '../../builder.ts';

/** Every mutation needs an API token. */
builder.mutationType({ authScopes: { viewer: true } });

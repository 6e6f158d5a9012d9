// Lets `node --import ./scripts/ts-node-register.mjs script.ts` run TypeScript in this ESM package.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('ts-node/esm', pathToFileURL('./'));

#!/usr/bin/env node
// The CLI is TypeScript run through tsx (no build step): register the loader, then start.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

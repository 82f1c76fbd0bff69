#!/usr/bin/env node
// `npx yosoku …` from a clone (after npm install): runs src/cli.ts through tsx, no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');

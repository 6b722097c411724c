// The POS server as the end-to-end tests use it: the production build, a fresh embedded store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.POS_DATA_DIR = mkdtempSync(join(tmpdir(), 'pos-e2e-'));
process.env.POS_CONFIG ??= 'config/pos.demo.json';
// Built by `vite build` just before (see playwright.config.ts); a variable keeps type checks off it.
const entry = '../build/index.js';
await import(entry);

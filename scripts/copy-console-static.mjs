// Part of `npm run build`: the console's HTML and CSS go beside its compiled modules.
import { cpSync } from 'node:fs';

cpSync(new URL('../src/console/static/', import.meta.url), new URL('../dist/console/', import.meta.url), { recursive: true });

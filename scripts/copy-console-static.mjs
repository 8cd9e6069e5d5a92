// Part of `npm run build`: the console's HTML and CSS go beside its compiled modules, and the
// page preloads every module at once instead of discovering them import by import.
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const out = new URL('../dist/console/', import.meta.url);
cpSync(new URL('../src/console/static/', import.meta.url), out, { recursive: true });
const modules = readdirSync(out, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.js') && file !== 'main.js')
  .map((file) => file.split('\\').join('/'))
  .sort();
const page = new URL('index.html', out);
const links = modules.map((file) => `  <link rel="modulepreload" href="/console/${file}">`).join('\n');
writeFileSync(page, readFileSync(page, 'utf8').replace('  <!-- modulepreload -->', links));

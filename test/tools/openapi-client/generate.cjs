'use strict';
// Writes the TypeScript types of an OpenAPI document with openapi-typescript: node generate.cjs <openapi.json> <out.d.ts>
const { readFileSync, writeFileSync } = require('node:fs');
const { default: openapiTS, astToString } = require('openapi-typescript');

async function main([input, output]) {
  const document = JSON.parse(readFileSync(input, 'utf8'));
  // Request fields with a default (locale, kind, cc, done) are optional to send; by default
  // openapi-typescript makes every field with a default required.
  const ast = await openapiTS(document, { defaultNonNullable: false });
  writeFileSync(output, astToString(ast));
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

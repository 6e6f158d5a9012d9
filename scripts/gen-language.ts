/**
 * Regenerate what the formula language registry (engine/language) decides:
 * the operator list and input types in schemas/criteria-level.schema.json,
 * and the operator and input type tables of docs/huong-dan-bien-soan.md.
 *   npm run gen:schema           write the files
 *   npm run gen:schema -- --check  exit 1 when a file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withLanguage, withLanguageTables } from '../engine/language/docs.js';
import { LANGUAGE } from '../engine/language/registry.js';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SCHEMA_FILE = `${root}schemas/criteria-level.schema.json`;
export const GUIDE_FILE = `${root}docs/huong-dan-bien-soan.md`;

/** Each generated file: its path, committed text and generated text. */
export function generated(): { file: string; current: string; expected: string }[] {
  const schemaText = readFileSync(SCHEMA_FILE, 'utf8');
  const guideText = readFileSync(GUIDE_FILE, 'utf8');
  return [
    { file: SCHEMA_FILE, current: schemaText, expected: `${JSON.stringify(withLanguage(JSON.parse(schemaText), LANGUAGE), null, 2)}\n` },
    { file: GUIDE_FILE, current: guideText, expected: withLanguageTables(guideText, LANGUAGE) },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const { file, current, expected } of generated()) {
    if (current === expected) continue;
    stale++;
    if (check) console.error(`stale: ${file.slice(root.length)} (run npm run gen:schema)`);
    else {
      writeFileSync(file, expected);
      console.log(`wrote ${file.slice(root.length)}`);
    }
  }
  if (check && stale) process.exit(1);
}

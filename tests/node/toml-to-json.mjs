// Parses TOML files with an independent parser (smol-toml), as a runtime would,
// and prints them as one JSON object keyed by file name.
//
// usage: node toml-to-json.mjs FILE...   (prints the JSON, or the file and the error and exits 1)
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node toml-to-json.mjs FILE...');
  process.exit(2);
}
const parsed = {};
for (const file of files) {
  try {
    parsed[file] = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`${file}: ${e.message}`);
    process.exit(1);
  }
}
console.log(JSON.stringify(parsed));

// Validates an SBOM that `sealift sbom` wrote, independently of Sealift's own
// readers: CycloneDX 1.5 against the official bom-1.5 schema (with the SPDX
// license-id and JSF schemas it refers to) as @cyclonedx/cyclonedx-library
// ships them; SPDX 2.3 against spdx-2.3.schema.json beside this script (no npm
// package ships the official SPDX 2.3 schema) plus the cross-references a JSON
// schema cannot state. Usage: node validate-sbom.mjs cyclonedx|spdx FILE.
// Prints each problem on its own line and exits 1 when there is any.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cyclonedxSchemas = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');

const [format, file] = process.argv.slice(2);
if (!['cyclonedx', 'spdx'].includes(format) || !file) {
  console.error('usage: node validate-sbom.mjs cyclonedx|spdx FILE');
  process.exit(2);
}

// Strict, but for strictRequired: the CycloneDX schema requires properties inside oneOf branches that it
// declares outside them, which is valid JSON Schema that strict mode merely flags.
const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true });
addFormats(ajv);
// Formats of the CycloneDX schema that ajv-formats does not implement: accepted as any string.
ajv.addFormat('iri-reference', true);
ajv.addFormat('idn-email', true);
// The CycloneDX schema documents enum values with this annotation keyword.
ajv.addKeyword({ keyword: 'meta:enum', metaSchema: { type: 'object' } });

function loadSchema(path, id) {
  const schema = JSON.parse(readFileSync(path, 'utf8'));
  // The library renames the files (bom-1.5.SNAPSHOT.schema.json); the refs between
  // them use the new names while each $id keeps the published one.
  if (id) schema.$id = id;
  return schema;
}

const document = JSON.parse(readFileSync(file, 'utf8'));
const problems = [];
let validate;
if (format === 'cyclonedx') {
  const base = 'http://cyclonedx.org/schema/';
  ajv.addSchema(loadSchema(join(cyclonedxSchemas, 'spdx.SNAPSHOT.schema.json'), base + 'spdx.SNAPSHOT.schema.json'));
  ajv.addSchema(loadSchema(join(cyclonedxSchemas, 'jsf-0.82.SNAPSHOT.schema.json'), base + 'jsf-0.82.SNAPSHOT.schema.json'));
  validate = ajv.compile(loadSchema(join(cyclonedxSchemas, 'bom-1.5.SNAPSHOT.schema.json')));
  const refs = new Set();
  const walk = (components, where) => (components ?? []).forEach((c, i) => {
    if (c['bom-ref'] !== undefined && refs.has(c['bom-ref'])) problems.push(`${where}[${i}]: duplicate bom-ref ${c['bom-ref']}`);
    refs.add(c['bom-ref']);
    walk(c.components, `${where}[${i}].components`);
  });
  if (document.metadata?.component) refs.add(document.metadata.component['bom-ref']);
  walk(document.components, '$.components');
  for (const d of document.dependencies ?? [])
    for (const ref of [d.ref, ...(d.dependsOn ?? [])])
      if (!refs.has(ref)) problems.push(`$.dependencies: ${ref} is no component's bom-ref`);
} else {
  validate = ajv.compile(loadSchema(join(here, 'spdx-2.3.schema.json')));
  const ids = new Set(['SPDXRef-DOCUMENT']);
  for (const p of document.packages ?? []) {
    if (ids.has(p.SPDXID)) problems.push(`$.packages: duplicate SPDXID ${p.SPDXID}`);
    ids.add(p.SPDXID);
  }
  for (const r of document.relationships ?? [])
    for (const id of [r.spdxElementId, r.relatedSpdxElement])
      if (!ids.has(id)) problems.push(`$.relationships: ${id} is no element of the document`);
  for (const id of document.documentDescribes ?? [])
    if (!ids.has(id)) problems.push(`$.documentDescribes: ${id} is no element of the document`);
  const declared = new Set((document.hasExtractedLicensingInfos ?? []).map((l) => l.licenseId));
  for (const p of document.packages ?? [])
    for (const field of ['licenseDeclared', 'licenseConcluded'])
      for (const ref of (p[field] ?? '').match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? [])
        if (!declared.has(ref)) problems.push(`${p.SPDXID}.${field}: ${ref} is not in hasExtractedLicensingInfos`);
}
if (!validate(document))
  for (const e of validate.errors) problems.push(`${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`);
for (const p of problems) console.log(p);
process.exit(problems.length ? 1 : 0);

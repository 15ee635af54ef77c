// Verifies Sealift output with the reference TypeScript TUF models (@tufjs/models),
// as a stock TUF client would: the root against its own root role, then a
// targets document (a Sealift bundle manifest) against the root's targets role.
//
// usage: node verify-tuf.mjs ROOT.json TARGETS.json   (prints "ok", or the error and exits 1)
import { readFileSync } from 'node:fs';
import tuf from '@tufjs/models';

const { Metadata, MetadataKind } = tuf;

if (process.argv.length !== 4) {
  console.error('usage: node verify-tuf.mjs ROOT.json TARGETS.json');
  process.exit(2);
}
const [rootPath, targetsPath] = process.argv.slice(2);

try {
  const root = Metadata.fromJSON(MetadataKind.Root, JSON.parse(readFileSync(rootPath, 'utf8')));
  const targets = Metadata.fromJSON(MetadataKind.Targets, JSON.parse(readFileSync(targetsPath, 'utf8')));
  root.verifyDelegate('root', root);
  root.verifyDelegate('targets', targets);
  console.log('ok');
} catch (error) {
  console.error(`${error.name}: ${error.message}`);
  process.exit(1);
}

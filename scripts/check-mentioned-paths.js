// Lists the path-looking mentions in comments and docs that match no file or folder of the tree
// (`node scripts/check-mentioned-paths.js`): a mention is true when some tracked path ends with it.
// It prints candidates for a person to judge (words like `sync/async` are not paths), not a verdict.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const SCANNED =
  /^(libs\/protean\/src\/|libs\/protean\/README\.md$|docs\/|test\/|bench\/|README\.md$|\.dependency-cruiser\.cjs$)/;
const TEXT = /\.(ts|js|cjs|md)$/;
const MENTION =
  /(?<![\w@#.:/$-])(?:\.{1,2}\/)*[A-Za-z_][\w.-]*(?:\/[\w.*…-]+)+\/?|(?<=`)[A-Za-z_][\w.-]*\/(?=`)|(?<![\w@#.:/$-])[\w-]+(?:\.[\w-]+)*\.(?:ts|js|cjs|md|sql|toml|sh|yml|svg)\b/g;
const IMPORT = /\bfrom '|\bimport\(|\brequire\(|^import '/;

const files = execFileSync('git', ['ls-files'], { encoding: 'utf8' }).split('\n').filter(Boolean);
const known = new Set();
for (const file of files) {
  const parts = file.split('/');
  for (let start = 0; start < parts.length; start++)
    for (let end = start + 1; end <= parts.length; end++)
      known.add(parts.slice(start, end).join('/'));
}

// Words that look like paths: media types, rates, pairs, file names every project has.
const NOT_PATHS =
  /^(application|text)\/|\/s\.?$|^(Pub\/Sub|LISTEN\/NOTIFY|XREADGROUP\/XACK|y\/N|I\/O|stdin\/stdout|and\/or|under\/over|Before\/after|AOF\/RDB|Node\.js|domain\.toml)$|\.(sql|test)$|\/[a-z]*$(?<=\/(i|m))/;

const resolves = (mention) => {
  if (NOT_PATHS.test(mention)) return true;
  const path = mention
    .replace(/^(\.{1,2}\/)+/, '')
    .replace(/\/$/, '')
    .replace(/^(libs\/protean\/|nestjs-protean\/)?dist\/(.*)\.(d\.ts|js)$/, '$2.ts')
    .replace(/^nestjs-protean\/(\w+)$/, 'libs/protean/src/$1.ts');
  if (known.has(path) || known.has(path.replace(/\.js$/, '.ts'))) return true;
  const pattern = path.includes('*') || path.includes('…') ? globToRegExp(path) : null;
  return pattern !== null && [...known].some((candidate) => pattern.test(candidate));
};
const globToRegExp = (glob) =>
  new RegExp(
    `^${glob
      .split(/(\*|…)/)
      .map((part) =>
        part === '*' || part === '…' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('')}`,
  );

let count = 0;
for (const file of files.filter((name) => SCANNED.test(name) && TEXT.test(name))) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (IMPORT.test(line)) return;
      for (const [mention] of line.matchAll(MENTION)) {
        if (resolves(mention)) continue;
        count++;
        console.log(`${file}:${index + 1}: ${mention}`);
      }
    });
}
console.log(`${count} unresolved mentions`);

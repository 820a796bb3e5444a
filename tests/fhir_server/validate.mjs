// node validate.mjs FILE.json ... — prints {"FILE": [problems]} and exits 1 on any problem.
import { readFileSync } from 'node:fs';
import { problems } from './validation.mjs';

const report = {};
let bad = false;
for (const file of process.argv.slice(2)) {
  report[file] = problems(JSON.parse(readFileSync(file, 'utf8')));
  bad ||= report[file].length > 0;
}
console.log(JSON.stringify(report));
process.exit(bad ? 1 : 0);

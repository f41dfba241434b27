/** `npm run bench:parser`: prints the parser benchmark (bench/parser.bench.ts). */
import { run } from './parser.bench.ts';

for (const line of await run()) console.log(line);

import { loadPlatform } from '../src/load/load.ts';
import { compilePrometheus } from '../src/compile/prometheus/index.ts';
const p = await loadPlatform('test/fixtures/policies');
const f = compilePrometheus(p);
const r = f.get('prometheus/rules/worker.rules.yml')!;
console.log(r.slice(r.indexOf('worker-absent') - 20));
const t = f.get('prometheus/tests/worker.test.yml')!;
console.log(t.slice(t.indexOf('WorkerTargetsAbsent') - 40, t.indexOf('WorkerTargetsAbsent') + 1500));

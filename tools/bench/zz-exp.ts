import { runBench } from '/work/main/tools/bench/run-bench';
import { formatReport } from '/work/main/tools/bench/report';
runBench({ workspaceRoot: '/tmp/ws', postgresUrl: 'postgresql://postgres@127.0.0.1:5432', durationSeconds: 15, warmupSeconds: 3, connections: 50, build: 'never', cpuProfileDir: '/tmp/bench-prof-exp', log: (l) => console.error(l) })
  .then((r) => { console.log(formatReport(r)); const { formatProfileSummary } = require('/work/main/tools/bench/cpu-profile-summary'); if (r.cpuProfile) console.log(formatProfileSummary(r.cpuProfile.summary, r.cpuProfile.file)); process.exit(0); }, (e) => { console.error(e); process.exit(1); });

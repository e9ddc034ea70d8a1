// Preloaded with `node --import` by the bench: writes the process's total CPU time (user + system,
// startup included) to $BENCH_CPU_FILE when it exits, so wall time on a busy machine can be told
// apart from the work the process really does.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.BENCH_CPU_FILE;
  if (!file) return;
  const { user, system } = process.cpuUsage();
  writeFileSync(file, String((user + system) / 1000));
});

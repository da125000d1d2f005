// Runs the CLI from the sources (for benchmarks that need the server in a process of its own). On SIGUSR2 it
// writes how long its event loop stood still since the last such signal (p50, p99, max, in ms) to stderr, as one
// line starting with `event-loop-delay`, so a benchmark can report it per phase.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { main } from '../src/cli/main.js';

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
process.on('SIGUSR2', () => {
  const ms = (ns: number) => (ns / 1e6).toFixed(0);
  process.stderr.write(
    `event-loop-delay p50 ${ms(delay.percentile(50))} p99 ${ms(delay.percentile(99))} max ${ms(delay.max)}\n`,
  );
  delay.reset();
});

process.exitCode = await main(process.argv);

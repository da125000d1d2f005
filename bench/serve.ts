// Runs the CLI from the sources (for benchmarks that need the server in a process of its own).
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv);

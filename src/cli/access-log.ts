// The server's access log on standard output, written once per turn of the event loop: a busy server answers
// thousands of requests a second, and a write of its own for each line (synchronous to a file or a pipe) would
// cost a system call per request. Lines still waiting are written when the process exits.

/**
 * A log function that gathers lines and writes them together after the current turn of the event loop.
 * @example const log = accessLog((text) => process.stdout.write(text)); log('… GET /api/org-units 200 1ms\n');
 */
export function accessLog(write: (text: string) => void): (line: string) => void {
  let waiting: string[] = [];
  const flush = () => {
    if (waiting.length === 0) return;
    const text = waiting.join('');
    waiting = [];
    write(text);
  };
  process.on('exit', flush);
  return (line) => {
    if (waiting.length === 0) setImmediate(flush);
    waiting.push(line);
  };
}

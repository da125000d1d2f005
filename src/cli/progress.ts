// Progress on stderr: a bar when stderr is a terminal, occasional lines otherwise.

/** Returns a callback that draws `done/total` as a bar with a label. */
export function progressBar(label: string): (done: number, total: number) => void {
  const tty = process.stderr.isTTY;
  let lastPercent = -1;
  return (done, total) => {
    const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
    if (percent === lastPercent) return;
    lastPercent = percent;
    if (tty) {
      const width = 30;
      const filled = Math.round((percent / 100) * width);
      process.stderr.write(
        `\r${label} [${'='.repeat(filled)}${' '.repeat(width - filled)}] ${percent}% (${done.toLocaleString('da-DK')}/${total.toLocaleString('da-DK')})`,
      );
      if (done >= total) process.stderr.write('\n');
    } else if (percent % 10 === 0) {
      process.stderr.write(
        `${label}: ${percent}% (${done.toLocaleString('da-DK')}/${total.toLocaleString('da-DK')})\n`,
      );
    }
  };
}

/** Prints a step message on stderr. */
export function step(message: string): void {
  process.stderr.write(`${message}\n`);
}
